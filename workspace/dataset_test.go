package workspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func initWith(t *testing.T) *Workspace {
	t.Helper()
	w, err := InitWith(t.TempDir(), "p", Options{Codec: testCodec})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestImportVersionsAndDedup(t *testing.T) {
	ctx := context.Background()
	w := initWith(t)
	src := filepath.Join(t.TempDir(), "Churn Data.csv")
	if err := os.WriteFile(src, []byte("id,x\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v1, err := w.ImportFrame(ctx, "churn", src, testFrame(10))
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.Parent != "" || v1.Rows != 10 || len(v1.Hash) != 64 || v1.Format != "csv" || v1.SourceSize != 9 || v1.Source != src {
		t.Errorf("v1 = %+v", v1)
	}
	if want := "data/" + v1.Hash[:12] + ".parquet"; v1.File != want {
		t.Errorf("file %q, want %q", v1.File, want)
	}
	if c := v1.Columns[1]; c != (ColumnInfo{Name: "x", Type: "float", Missing: 2}) {
		t.Errorf("column info %+v", c)
	}

	again, err := w.ImportFrame(ctx, "churn", src, testFrame(10))
	if err != nil {
		t.Fatal(err)
	}
	if again.Version != 1 || again.Hash != v1.Hash {
		t.Errorf("same content imported again gave %s, want v1 reused", again.Ref())
	}

	v2, err := w.ImportFrame(ctx, "churn", src, testFrame(12))
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Parent != v1.Hash || v2.Hash == v1.Hash {
		t.Errorf("v2 = %s parent %q, want version 2 with parent %q", v2.Ref(), v2.Parent, v1.Hash)
	}
	if _, err := os.Stat(w.DatasetPath(v1)); err != nil {
		t.Errorf("v1 snapshot gone after v2: %v", err)
	}

	other, err := w.ImportFrameWith(ctx, "copy", "clean(churn@1)", testFrame(10), ImportOptions{Parent: v1.Hash, Format: "derived"})
	if err != nil {
		t.Fatal(err)
	}
	if other.File != v1.File || other.Version != 1 || other.Parent != v1.Hash || other.Format != "derived" {
		t.Errorf("same content under another name = %+v, want v1's file shared", other)
	}

	// A second handle (another session) sees everything.
	w2, err := OpenWith(w.Dir(), Options{Codec: testCodec})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := w2.Datasets()
	if err != nil || len(ds) != 2 || ds[0].Ref() != "churn@2" || ds[1].Ref() != "copy@1" {
		t.Fatalf("Datasets = %+v, %v", ds, err)
	}
	vs, err := w2.Versions("churn")
	if err != nil || len(vs) != 2 || vs[0].Version != 1 {
		t.Errorf("Versions = %+v, %v", vs, err)
	}
	f, err := w2.LoadDataset(ctx, "churn")
	if err != nil {
		t.Fatal(err)
	}
	if frameText(f) != frameText(testFrame(12)) {
		t.Errorf("loaded latest != imported v2")
	}
	f1, err := w2.Load(ctx, vs[0])
	if err != nil || frameText(f1) != frameText(testFrame(10)) {
		t.Errorf("load v1: %v", err)
	}

	// Deleting churn keeps the snapshot copy@1 shares, and removes v2's.
	if err := w2.DeleteDataset(ctx, "churn"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(w.DatasetPath(v1)); err != nil {
		t.Errorf("shared snapshot removed: %v", err)
	}
	if _, err := os.Stat(w.DatasetPath(v2)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("v2 snapshot kept after delete: %v", err)
	}
	_, err = w2.Dataset("churn")
	var nf *DatasetNotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrDatasetNotFound) || strings.Join(nf.Available, ",") != "copy" {
		t.Errorf("Dataset(deleted) = %v", err)
	}
	if err := w2.DeleteDataset(ctx, "churn"); !errors.Is(err, ErrDatasetNotFound) {
		t.Errorf("second delete = %v", err)
	}
	ev, _ := w2.History(0)
	var actions []string
	for _, e := range ev {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "init dataset.import dataset.import dataset.import dataset.import dataset.delete" {
		t.Errorf("history actions: %s", got)
	}
}

func TestImportRejectsBadNames(t *testing.T) {
	w := initWith(t)
	for _, n := range []string{"", " x", "a/b", "a@2", "..", "tab\there", strings.Repeat("n", 101)} {
		if _, err := w.ImportFrame(context.Background(), n, "", testFrame(1)); err == nil {
			t.Errorf("name %q accepted", n)
		}
	}
}

func TestDatasetName(t *testing.T) {
	for in, want := range map[string]string{
		"/x/sales 2024.csv":     "sales 2024",
		"churn.csv.gz":          "churn",
		".hidden.csv":           ".hidden",
		"a@b.parquet":           "a_b",
		"/":                     "data",
		"données\x01.tsv":       "données_",
		"noext":                 "noext",
		"ver.1.2.parquet":       "ver",
		"résumé.xlsx":           "résumé",
		"x/..":                  "data",
		"C:\\dir\\weird.json":   "C:_dir_weird",
		"name with @ and /.csv": ".csv",
	} {
		got := DatasetName(in)
		if got != want {
			t.Errorf("DatasetName(%q) = %q, want %q", in, got, want)
		}
		if err := ValidDatasetName(got); err != nil {
			t.Errorf("DatasetName(%q) = %q is invalid: %v", in, got, err)
		}
	}
	for in, want := range map[string]string{"a.CSV": "csv", "a.csv.gz": "csv.gz", "a.gz": "gz", "clean(x)": "", "d.parquet": "parquet"} {
		if got := sourceFormat(in); got != want {
			t.Errorf("sourceFormat(%q) = %q, want %q", in, got, want)
		}
	}
}

// The real Parquet codec must be deterministic, or importing the same data
// twice would add a version instead of reusing the snapshot.
func TestDefaultCodecParquet(t *testing.T) {
	ctx := context.Background()
	w, err := Init(t.TempDir(), "p")
	if err != nil {
		t.Fatal(err)
	}
	in := testFrame(50)
	d1, err := w.ImportFrame(ctx, "pq", "", in)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := w.ImportFrame(ctx, "pq", "", testFrame(50))
	if err != nil {
		t.Fatal(err)
	}
	if d2.Version != 1 || d2.Hash != d1.Hash {
		t.Errorf("re-import of equal data gave %s (hash %.12s vs %.12s)", d2.Ref(), d2.Hash, d1.Hash)
	}
	b, err := os.ReadFile(w.DatasetPath(d1))
	if err != nil || len(b) < 8 || string(b[:4]) != "PAR1" || int64(len(b)) != d1.Size {
		t.Fatalf("snapshot is not a %d-byte Parquet file: %v", d1.Size, err)
	}
	out, err := w.LoadDataset(ctx, "pq")
	if err != nil {
		t.Fatal(err)
	}
	if frameText(out) != frameText(in) {
		t.Errorf("Parquet round trip changed the frame:\n%s\nwant\n%s", frameText(out), frameText(in))
	}
}

func TestImportCancelled(t *testing.T) {
	w := initWith(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.ImportFrame(ctx, "a", "", testFrame(100)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled import = %v", err)
	}
	ents, _ := os.ReadDir(w.DataDir())
	for _, e := range ents {
		if e.Name() != ManifestFile && e.Name() != ManifestFile+".bak" {
			t.Errorf("cancelled import left %s", e.Name())
		}
	}
}

func TestCorruptManifest(t *testing.T) {
	w := initWith(t)
	if _, err := w.ImportFrame(context.Background(), "a", "", testFrame(3)); err != nil {
		t.Fatal(err)
	}
	p := w.Path(DataDir, ManifestFile)
	if err := os.WriteFile(p, []byte(`{"format":1,"datasets":[{"name":"a",`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(w.Dir())
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("Open with corrupt manifest = %v, want an error naming %s", err, p)
	}
	if _, err := w.Datasets(); err == nil {
		t.Error("Datasets with corrupt manifest succeeded")
	}
	if _, err := w.ImportFrame(context.Background(), "b", "", testFrame(4)); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("ImportFrame over a corrupt manifest = %v, want an error (never overwrite it)", err)
	}
	// The backup written before the last change restores the datasets.
	bak, err := os.ReadFile(p + ".bak")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, bak, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(w.Dir()); err != nil {
		t.Errorf("after restoring the backup: %v", err)
	}
}

func TestMissingSnapshotsWarn(t *testing.T) {
	w := initWith(t)
	d, err := w.ImportFrame(context.Background(), "a", "", testFrame(3))
	if err != nil {
		t.Fatal(err)
	}
	// Snapshot truncated: Load refuses, naming the dataset.
	if err := os.Truncate(w.DatasetPath(d), 5); err != nil {
		t.Fatal(err)
	}
	if _, err := w.LoadDataset(context.Background(), "a"); err == nil || !strings.Contains(err.Error(), "a@1") {
		t.Errorf("load of truncated snapshot = %v", err)
	}
	// Snapshot removed: Open warns.
	os.Remove(w.DatasetPath(d))
	w2, err := Open(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if ws := w2.Warnings(); len(ws) != 1 || !strings.Contains(ws[0], "a@1") {
		t.Errorf("warnings %q", ws)
	}
	// Manifest removed while snapshots remain: Open warns.
	if _, err := w.ImportFrame(context.Background(), "b", "", testFrame(4)); err != nil {
		t.Fatal(err)
	}
	os.Remove(w.Path(DataDir, ManifestFile))
	w3, err := Open(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if ws := w3.Warnings(); len(ws) != 1 || !strings.Contains(ws[0], "missing but") {
		t.Errorf("warnings %q", ws)
	}
}

func TestOpenSweepsOldTempFiles(t *testing.T) {
	w := initWith(t)
	old := w.Path(DataDir, ".import"+tempMarker+"123")
	fresh := w.Path(".state.json" + tempMarker + "456")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(old, past, past)
	if _, err := Open(w.Dir()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("abandoned temp file kept: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("recent temp file (maybe being written) removed: %v", err)
	}
}

func TestDatasetRef(t *testing.T) {
	w := initWith(t)
	ctx := context.Background()
	for i, rows := range []int{3, 5} {
		if _, err := w.ImportFrame(ctx, "sales", "s.csv", testFrame(rows)); err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
	}
	cases := []struct {
		ref     string
		version int
		rows    int
		err     string
	}{
		{"sales", 2, 5, ""},
		{"sales@1", 1, 3, ""},
		{"sales@2", 2, 5, ""},
		{"sales@3", 0, 0, `workspace: dataset "sales" has versions 1 to 2, not 3`},
		{"sales@0", 0, 0, `workspace: dataset "sales": version 0 is not a positive number`},
		{"sales@x", 0, 0, `dataset "sales@x" not found`},
		{"nope", 0, 0, `dataset "nope" not found`},
	}
	for _, tc := range cases {
		d, err := w.DatasetRef(tc.ref)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("DatasetRef(%q) error = %v, want %q", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || d.Version != tc.version || d.Rows != tc.rows {
			t.Errorf("DatasetRef(%q) = v%d %d rows, %v; want v%d %d rows", tc.ref, d.Version, d.Rows, err, tc.version, tc.rows)
		}
	}
}
