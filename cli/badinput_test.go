package cli

// Bad input, command by command: every case must end in one "mlwb: ..." line
// on stderr with exit status 1 (or a documented result), never a panic or a
// hang, and leave every workspace it touched readable with every dataset
// version still loading.

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/workspace"
)

// qaTimeout bounds one in-process command: the largest input here is a 10 MB
// field, read in well under a second; 60 s leaves room for -race on a busy
// 2-core machine while still catching a hang.
const qaTimeout = 60 * time.Second

// runQA runs the command line in-process under a deadline and fails the test
// on a hang or a panic trace on stderr.
func runQA(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), qaTimeout)
	defer cancel()
	var out, errb bytes.Buffer
	code := -1
	done := make(chan struct{})
	go func() {
		defer close(done)
		code = Main(ctx, args, &out, &errb)
	}()
	select {
	case <-done:
	case <-time.After(qaTimeout + 10*time.Second):
		t.Fatalf("mlwb %s: still running after %v (hang)", strings.Join(args, " "), qaTimeout)
	}
	errs := errb.String()
	if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic:") {
		t.Fatalf("mlwb %s: panic:\n%s", strings.Join(args, " "), errs)
	}
	return out.String(), errs, code
}

// wantFail runs args and checks for exit status 1 and one error line on
// stderr, "mlwb: ...", that contains every string of want.
func wantFail(t *testing.T, args []string, want ...string) {
	t.Helper()
	_, errs, code := runQA(t, args...)
	cmd := "mlwb " + strings.Join(args, " ")
	if code != 1 {
		t.Errorf("%s: exit %d, want 1 (stderr %q)", cmd, code, errs)
	}
	if !strings.HasPrefix(errs, "mlwb: ") || strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
		t.Errorf("%s: stderr %q, want one line \"mlwb: ...\"", cmd, errs)
	}
	for _, w := range want {
		if !strings.Contains(errs, w) {
			t.Errorf("%s: stderr %q does not contain %q", cmd, errs, w)
		}
	}
}

// wantOK runs args and checks for exit status 0.
func wantOK(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := runQA(t, args...)
	if code != 0 {
		t.Fatalf("mlwb %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// checkWorkspace opens dir and loads every version of every dataset: a failed
// command must lose nothing.
func checkWorkspace(t *testing.T, dir string) {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatalf("workspace no longer opens: %v", err)
	}
	ds, err := ws.Datasets()
	if err != nil {
		t.Fatalf("datasets: %v", err)
	}
	for _, d := range ds {
		vs, err := ws.Versions(d.Name)
		if err != nil {
			t.Fatalf("versions of %s: %v", d.Name, err)
		}
		for _, v := range vs {
			f, err := ws.Load(context.Background(), v)
			if err != nil {
				t.Fatalf("%s no longer loads: %v", v.Ref(), err)
			}
			if f.NumRows() != v.Rows {
				t.Errorf("%s: %d rows, manifest says %d", v.Ref(), f.NumRows(), v.Rows)
			}
		}
	}
	if _, err := ws.History(0); err != nil {
		t.Errorf("history: %v", err)
	}
}

// qaWorkspace makes a workspace holding people (id int, name, amount float,
// two versions) and cities (city_id int, city) and returns its folder and the
// folder of its source files.
func qaWorkspace(t *testing.T) (ws, src string) {
	t.Helper()
	src = t.TempDir()
	ws = filepath.Join(t.TempDir(), "proj")
	wantOK(t, "init", ws)
	p := writeFile(t, src, "people.csv", "id,name,amount,city_id\n1,ann,1.5,10\n2,bob,2,20\n3,cy,,10\n4,dee,4.25,30\n")
	wantOK(t, "import", p, "-w", ws)
	p2 := writeFile(t, src, "people2.csv", "id,name,amount,city_id\n1,ann,1.5,10\n2,bob,2,20\n")
	wantOK(t, "import", p2, "-w", ws, "--name", "people")
	c := writeFile(t, src, "cities.csv", "city_id,city\n10,paris\n20,rome\n30,oslo\n")
	wantOK(t, "import", c, "-w", ws)
	return ws, src
}

// badFiles writes the malformed inputs and returns name → (path, a part of
// the expected error).
func badFiles(t *testing.T) map[string][2]string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][2]string{}
	add := func(name string, data []byte, want string) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files[name] = [2]string{p, want}
	}
	add("unterminated.csv", []byte("a,b\n1,\"x\n2,3\n"), "unterminated.csv:2:3: unterminated quoted field")
	add("ragged.csv", []byte("a,b\n1,2\n3,4,5\n6\n"), "ragged.csv:3: expected 2 fields, found 3")
	add("badutf8.csv", []byte("a,b\n1,\xff\xfe\n2,ok\n"), "badutf8.csv:2:3: invalid UTF-8")
	add("nul.csv", []byte("a,b\n1,x\x00y\n2,3\n"), "nul.csv:2:4: NUL byte")
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7919 + i/13) // deterministic binary noise with NULs
	}
	add("garbage.csv", garbage, "garbage.csv:1:")
	add("empty.csv", nil, "empty.csv: empty file")
	add("torn.jsonl", []byte("{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":\n{\"a\":3}\n"), "torn.jsonl:2:12: invalid JSON")
	add("bad.arff", []byte("@relation x\n@attribute a numeric\n@data\n1\nfoo\n"), "bad.arff:5:1: attribute \"a\": \"foo\" is not a number")
	add("fake.parquet", []byte("a,b\n1,2\n"), "fake.parquet: not a readable Parquet file")
	add("empty.parquet", nil, "empty.parquet: not a readable Parquet file")

	// A Parquet file, then cut short, and named .csv.
	var pq bytes.Buffer
	f, err := dataio.ReadCSV(context.Background(), strings.NewReader("a,b\n1,x\n2,y\n3,z\n"), "t.csv", dataio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := dataio.WriteParquet(&pq, f); err != nil {
		t.Fatal(err)
	}
	add("truncated.parquet", pq.Bytes()[:pq.Len()*2/3], "truncated.parquet: not a readable Parquet file")
	add("parquet.csv", pq.Bytes(), "parquet.csv:1:")

	// A gzip stream cut in the middle.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprintln(zw, "a,b")
	for i := range 20000 {
		fmt.Fprintf(zw, "%d,x%d\n", i, i*i)
	}
	zw.Close()
	add("truncated.csv.gz", gz.Bytes()[:gz.Len()/2], "truncated.csv.gz")

	os.Mkdir(filepath.Join(dir, "folder.csv"), 0o755)
	files["folder.csv"] = [2]string{filepath.Join(dir, "folder.csv"), "folder.csv"}
	files["missing.csv"] = [2]string{filepath.Join(dir, "missing.csv"), "missing.csv"}
	return files
}

func TestBadFilesInfoImport(t *testing.T) {
	ws, _ := qaWorkspace(t)
	for name, tc := range badFiles(t) {
		t.Run(name, func(t *testing.T) {
			wantFail(t, []string{"info", tc[0]}, tc[1])
			wantFail(t, []string{"import", tc[0], "-w", ws, "--name", "bad"}, tc[1])
			wantFail(t, []string{"profile", tc[0]}, tc[1])
			wantFail(t, []string{"clean", tc[0], "--step", "drop_duplicates", "--dry-run"}, tc[1])
			wantFail(t, []string{"drift", "--reference", tc[0], "--current", tc[0]}, tc[1])
		})
	}
	checkWorkspace(t, ws)
	if _, err := mustOpen(t, ws).Dataset("bad"); err == nil {
		t.Error("a failed import registered dataset \"bad\"")
	}
}

func mustOpen(t *testing.T, dir string) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// Odd but valid files load with a documented result.
func TestOddFilesLoad(t *testing.T) {
	dir := t.TempDir()
	ws, _ := qaWorkspace(t)
	cases := []struct {
		name string
		data string
		rows int
		cols string
	}{
		{"header_only.csv", "a,b,c\n", 0, "a b c"},
		{"bom_crlf.csv", "\xef\xbb\xbfa,b\r\n1,2\r\n3,4\r\n", 2, "a b"},
		{"big_field.csv", "a,b\n1," + strings.Repeat("x", 10<<20) + "\n2,y\n", 2, "a b"},
		{"no_final_newline.csv", "a,b\n1,2\n3,4", 2, "a b"},
	}
	for _, tc := range cases {
		p := writeFile(t, dir, tc.name, tc.data)
		out := wantOK(t, "info", p, "--json")
		if !strings.Contains(out, fmt.Sprintf(`"rows": %d`, tc.rows)) {
			t.Errorf("%s: %s, want %d rows", tc.name, out, tc.rows)
		}
		for _, c := range strings.Fields(tc.cols) {
			if !strings.Contains(out, fmt.Sprintf(`"name": %q`, c)) {
				t.Errorf("%s: no column %q in %s (a BOM must not stick to the first name)", tc.name, c, out)
			}
		}
		wantOK(t, "import", p, "-w", ws)
	}
	checkWorkspace(t, ws)
}

func TestUnknownColumns(t *testing.T) {
	ws, src := qaWorkspace(t)
	people := filepath.Join(src, "people.csv")
	cities := filepath.Join(src, "cities.csv")
	cases := [][]string{
		{"profile", "people", "-w", ws, "--target", "nope"},
		{"profile", people, "--target", "nope"},
		{"clean", "people", "-w", ws, "--step", "drop_columns nope"},
		{"clean", "people", "-w", ws, "--step", "impute nope method=median"},
		{"clean", "people", "-w", ws, "--step", "rename nope to=[\"x\"]"},
		{"clean", "people", "-w", ws, "--step", "filter expr=\"nope > 3\""},
		{"clean", people, "--dry-run", "--step", "cast nope to=int"},
		{"merge", "people", "cities", "-w", ws, "--on", "nope", "--plan"},
		{"merge", "people", "cities", "-w", ws, "--left-on", "nope", "--right-on", "city_id", "--plan"},
		{"merge", "people", "cities", "-w", ws, "--left-on", "city_id", "--right-on", "nope", "--plan"},
		{"merge", people, cities, "--on", "nope", "--plan"},
		{"match", people, "--dedupe", "--on", "nope"},
		{"match", people, cities, "--on", "name=nope"},
		{"match", people, "--dedupe", "--on", "name", "--gold", "nope"},
		{"match", people, "--dedupe", "--on", "name", "--block-on", "nope"},
		{"drift", "--reference", people, "--current", people, "--target", "nope"},
		{"drift", "--reference", people, "--current", people, "--columns", "nope"},
		{"drift", "--reference", people, "--current", people, "--column-method", "nope=ks"},
		{"drift", "--reference", people, "--current", people, "--prediction-column", "nope"},
		{"drift", "--reference", people, "--current", people, "--window", "nope:7d"},
		{"drift", "--reference", "people", "-w", ws, "--current", people, "--columns", "amount,nope"},
		{"metrics", "--true", people + ":nope", "--score", people + ":amount"},
		{"metrics", "--true", people + ":amount", "--score", people + ":nope"},
	}
	for _, args := range cases {
		wantFail(t, args, "nope")
	}
	checkWorkspace(t, ws)
}

func TestWrongTypesAndValues(t *testing.T) {
	ws, src := qaWorkspace(t)
	people := filepath.Join(src, "people.csv")
	strKey := writeFile(t, src, "strkey.csv", "city_id,city\nx10,paris\n20,rome\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"merge", people, strKey, "--on", "city_id", "--out", filepath.Join(src, "m.csv")}, `key "city_id": left int, right string`},
		{[]string{"merge", "people", "cities", "-w", ws, "--left-on", "id,name", "--right-on", "city_id"}, "2 left keys but 1 right keys"},
		{[]string{"merge", people, people, "--on", "id", "--how", "sideways", "--plan"}, "sideways"},
		{[]string{"clean", "people", "-w", ws, "--step", "filter expr=\"amount > 'x'\""}, "cannot compare"},
		{[]string{"clean", "people", "-w", ws, "--step", "filter expr=\"amount >\""}, "1:9"},
		{[]string{"clean", "people", "-w", ws, "--step", "filter expr=\"name + 1 > 2\""}, "step 1 (filter)"},
		{[]string{"clean", "people", "-w", ws, "--step", "impute amount method=bogus"}, "bogus"},
		{[]string{"clean", "people", "-w", ws, "--step", "cast amount to=foo"}, "foo"},
		{[]string{"clean", "people", "-w", ws, "--step", "bogus amount"}, "unknown op \"bogus\""},
		{[]string{"clean", "people", "-w", ws, "--step", "merge_categories name groups=notjson"}, "groups"},
		{[]string{"clean", "people", "-w", ws, "--step", ""}, "--step is empty"},
		{[]string{"clean", "people", "-w", ws, "--recipe", people}, "people.csv"},
		{[]string{"clean", "people", "-w", ws, "--recipe", filepath.Join(src, "nope.json")}, "nope.json"},
		{[]string{"clean", "people", "-w", ws, "--recipe", src}, "is a directory"},
		{[]string{"clean", people, "--step", "drop_duplicates"}, "--out"},
		{[]string{"clean", people, "--step", "drop_duplicates", "--out", filepath.Join(src, "x.xlsx")}, "x.xlsx"},
		{[]string{"clean", people, "--step", "drop_duplicates", "--out", filepath.Join(src, "no", "dir", "x.csv")}, "x.csv"},
		{[]string{"match", people, "--dedupe", "--on", "name:bogus"}, "bogus"},
		{[]string{"match", people, "--dedupe", "--on", "name", "--threshold", "2"}, "--threshold"},
		{[]string{"match", people, "--dedupe", "--on", "name", "--review", "0.9,0.1"}, "review"},
		{[]string{"drift", "--reference", people, "--current", people, "--column-method", "amount=bogus"}, "bogus"},
		{[]string{"drift", "--reference", people, "--current", people, "--window", "amount:7q"}, "7q"},
		{[]string{"drift", "--reference", people, "--current", people, "--drift-share", "0"}, "--drift-share"},
		{[]string{"drift", "--reference", people, "--current", src + "/nope"}, "nope"},
		{[]string{"metrics", "--true", people, "--score", people + ":amount"}, "FILE:COL"},
		{[]string{"info", people, "--format", "xml"}, "xml"},
		{[]string{"info", people, "--delimiter", ";;"}, "--delimiter"},
		{[]string{"profile", "people@9", "-w", ws}, "not 9"},
		{[]string{"profile", "people@x", "-w", ws}, "people@x"},
		{[]string{"profile", "nope", "-w", ws}, "nope"},
		{[]string{"import", people, "-w", ws, "--name", "a/b"}, "a/b"},
		{[]string{"import", people, "-w", filepath.Join(src, "nows")}, "nows"},
		{[]string{"init", people}, "not a directory"},
		{[]string{"init", ws}, "already"},
		{[]string{"open", filepath.Join(src, "nope")}, "nope"},
	}
	for _, tc := range cases {
		wantFail(t, tc.args, tc.want)
	}
	checkWorkspace(t, ws)
}

// copyDir copies a workspace so each corruption starts from a good one.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, fi.Mode())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCorruptWorkspace(t *testing.T) {
	good, src := qaWorkspace(t)
	cities := filepath.Join(src, "cities.csv")
	snapshot := func(ws string) string {
		d, err := mustOpen(t, good).DatasetRef("people@1")
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(ws, filepath.FromSlash(d.File))
	}
	cases := []struct {
		name    string
		corrupt func(ws string)
		want    string
	}{
		{"card_syntax", func(ws string) { writeFile(t, ws, "mlwb.toml", "name = \"x\n") }, "mlwb.toml:1:"},
		{"card_type", func(ws string) { writeFile(t, ws, "mlwb.toml", "name = \"x\"\ntarget = 3\n") }, "mlwb.toml:2"},
		{"card_empty", func(ws string) { writeFile(t, ws, "mlwb.toml", "") }, "mlwb.toml"},
		{"card_binary", func(ws string) { writeFile(t, ws, "mlwb.toml", "\x00\xff\xfe") }, "mlwb.toml"},
		{"manifest_torn", func(ws string) { writeFile(t, ws, "data/datasets.json", `{"format":1,"datasets":[{"name":`) }, "datasets.json is corrupt"},
		{"manifest_empty", func(ws string) { writeFile(t, ws, "data/datasets.json", "") }, "datasets.json is corrupt"},
		{"manifest_future", func(ws string) { writeFile(t, ws, "data/datasets.json", `{"format":99,"datasets":[]}`) }, "upgrade mlwb"},
		{"manifest_bad_entry", func(ws string) {
			writeFile(t, ws, "data/datasets.json", `{"format":1,"datasets":[{"name":"x","version":1,"hash":"ab","file":"../../etc/passwd"}]}`)
		}, "datasets.json is corrupt"},
		{"meta_version", func(ws string) { writeFile(t, ws, ".mlwb/version", "{") }, "version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws := filepath.Join(t.TempDir(), "ws")
			copyDir(t, good, ws)
			tc.corrupt(ws)
			wantFail(t, []string{"import", cities, "-w", ws, "--name", "more"}, tc.want)
			wantFail(t, []string{"profile", "people", "-w", ws}, tc.want)
			wantFail(t, []string{"clean", "people", "-w", ws, "--step", "drop_duplicates"}, tc.want)
			wantFail(t, []string{"merge", "people", "cities", "-w", ws, "--on", "city_id"}, tc.want)
			wantFail(t, []string{"drift", "--reference", "people", "-w", ws, "--current", cities}, tc.want)
		})
	}

	t.Run("snapshot_truncated", func(t *testing.T) {
		ws := filepath.Join(t.TempDir(), "ws")
		copyDir(t, good, ws)
		p := snapshot(ws)
		if err := os.Truncate(p, 100); err != nil {
			t.Fatal(err)
		}
		wantFail(t, []string{"profile", "people@1", "-w", ws}, "people@1", "changed outside mlwb")
		wantFail(t, []string{"clean", "people@1", "-w", ws, "--step", "drop_duplicates"}, "people@1")
		wantFail(t, []string{"merge", "people@1", "cities", "-w", ws, "--on", "city_id", "--plan"}, "people@1")
		// Other versions are untouched, and importing the same content again
		// repairs the snapshot.
		wantOK(t, "profile", "people@2", "-w", ws)
		wantOK(t, "import", filepath.Join(src, "people.csv"), "-w", ws, "--name", "people")
		checkWorkspace(t, ws)
	})

	t.Run("snapshot_garbage_same_size", func(t *testing.T) {
		ws := filepath.Join(t.TempDir(), "ws")
		copyDir(t, good, ws)
		p := snapshot(ws)
		fi, _ := os.Stat(p)
		if err := os.WriteFile(p, bytes.Repeat([]byte{'x'}, int(fi.Size())), 0o644); err != nil {
			t.Fatal(err)
		}
		wantFail(t, []string{"profile", "people@1", "-w", ws, "--refresh"}, "people@1")
		wantOK(t, "profile", "people@2", "-w", ws)
	})

	t.Run("state_corrupt", func(t *testing.T) {
		ws := filepath.Join(t.TempDir(), "ws")
		copyDir(t, good, ws)
		writeFile(t, ws, "state.json", "{garbage")
		// UI state only: reset and kept aside, never an error.
		wantOK(t, "import", cities, "-w", ws, "--name", "more")
		if _, err := os.Stat(filepath.Join(ws, "state.json.corrupt")); err != nil {
			t.Errorf("corrupt state.json not kept aside: %v", err)
		}
		checkWorkspace(t, ws)
	})

	t.Run("history_torn", func(t *testing.T) {
		ws := filepath.Join(t.TempDir(), "ws")
		copyDir(t, good, ws)
		f, err := os.OpenFile(filepath.Join(ws, "history.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"time":"2026-11-25T19:28:41.4`) // a write cut by a crash
		f.Close()
		wantOK(t, "import", cities, "-w", ws, "--name", "more")
		w := mustOpen(t, ws)
		ev, err := w.History(0)
		if err != nil {
			t.Fatalf("history with a torn line: %v", err)
		}
		if len(ev) == 0 || ev[len(ev)-1].Action != "dataset.import" {
			t.Errorf("the import after a torn line is not the last event: %+v", ev)
		}
		checkWorkspace(t, ws)
	})

	t.Run("manifest_deleted", func(t *testing.T) {
		ws := filepath.Join(t.TempDir(), "ws")
		copyDir(t, good, ws)
		if err := os.Remove(filepath.Join(ws, "data", "datasets.json")); err != nil {
			t.Fatal(err)
		}
		// Importing now would start an empty manifest and, one import
		// later, overwrite datasets.json.bak: the registry of every
		// earlier dataset would be gone. It must refuse instead.
		wantFail(t, []string{"import", cities, "-w", ws, "--name", "more"}, "datasets.json", "missing")
		wantFail(t, []string{"import", cities, "-w", ws, "--name", "more2"}, "datasets.json", "missing")
		if err := os.Rename(filepath.Join(ws, "data", "datasets.json.bak"), filepath.Join(ws, "data", "datasets.json")); err != nil {
			t.Fatalf("datasets.json.bak is gone: %v", err)
		}
		wantOK(t, "profile", "people@1", "-w", ws)
		checkWorkspace(t, ws)
	})
}

func TestReadOnlyWorkspace(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through chmod -w; checked by hand with setpriv as nobody")
	}
	ws, src := qaWorkspace(t)
	var dirs []string
	filepath.Walk(ws, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for _, d := range dirs {
		os.Chmod(d, 0o555)
	}
	t.Cleanup(func() {
		for _, d := range dirs {
			os.Chmod(d, 0o755)
		}
	})
	wantFail(t, []string{"import", filepath.Join(src, "cities.csv"), "-w", ws, "--name", "more"}, "permission denied")
	wantFail(t, []string{"clean", "people", "-w", ws, "--step", "drop_duplicates"}, "permission denied")
	wantOK(t, "profile", "people", "-w", ws)
	checkWorkspace(t, ws)
}

// Imports into one workspace at once, under one name and under many, all
// land: versions 1..n with no gaps, every one loadable.
func TestConcurrentImports(t *testing.T) {
	ws, src := qaWorkspace(t)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]string, 2*n)
	for i := range n {
		p := writeFile(t, src, fmt.Sprintf("batch%d.csv", i), fmt.Sprintf("a,b\n%d,x\n%d,y\n", i, -i))
		wg.Add(2)
		go func() {
			defer wg.Done()
			var out, eb bytes.Buffer
			if Main(context.Background(), []string{"import", p, "-w", ws, "--name", "same"}, &out, &eb) != 0 {
				errs[2*i] = eb.String()
			}
		}()
		go func() {
			defer wg.Done()
			var out, eb bytes.Buffer
			if Main(context.Background(), []string{"import", p, "-w", ws}, &out, &eb) != 0 {
				errs[2*i+1] = eb.String()
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Errorf("concurrent import failed: %s", e)
		}
	}
	w := mustOpen(t, ws)
	vs, err := w.Versions("same")
	if err != nil || len(vs) != n {
		t.Fatalf("versions of same: %d, %v; want %d", len(vs), err, n)
	}
	for i, v := range vs {
		if v.Version != i+1 {
			t.Errorf("version %d at position %d", v.Version, i)
		}
	}
	for i := range n {
		if _, err := w.Dataset(fmt.Sprintf("batch%d", i)); err != nil {
			t.Error(err)
		}
	}
	checkWorkspace(t, ws)
}

// ctrl+c during a load printed "mlwb: context canceled" and exited 1.
func TestInterruptedCommand(t *testing.T) {
	ws, src := qaWorkspace(t)
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "%d,x%d\n", i, i)
	}
	p := writeFile(t, src, "big.csv", b.String())
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as main does on SIGINT
	var out, errb bytes.Buffer
	code := Main(ctx, []string{"import", p, "-w", ws, "--name", "big"}, &out, &errb)
	if code != 130 || errb.String() != "mlwb: interrupted\n" {
		t.Errorf("interrupted import: exit %d, stderr %q; want 130 and \"mlwb: interrupted\"", code, errb.String())
	}
	if _, err := mustOpen(t, ws).Dataset("big"); err == nil {
		t.Error("an interrupted import registered its dataset")
	}
	checkWorkspace(t, ws)
}

// A key repeated on both sides multiplies rows: 30,000 × 30,000 rows on one
// key built 900 million rows and took 21 GB before it could be stopped.
// The plan is known first, so the merge refuses past --max-rows.
func TestMergeManyToManyGuard(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("k,v\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "1,%d\n", i)
	}
	p := writeFile(t, dir, "dupkey.csv", b.String())
	out := filepath.Join(dir, "m.parquet")
	wantFail(t, []string{"merge", p, p, "--on", "k", "--out", out, "--max-rows", "1000000"}, "9,000,000 rows", "--max-rows", "--plan")
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused merge wrote its output")
	}
	// --plan still reports, and a higher limit lets it through.
	wantOK(t, "merge", p, p, "--on", "k", "--plan", "--max-rows", "1000000")
	wantOK(t, "merge", p, p, "--on", "k", "--out", out, "--max-rows", "0")
}
