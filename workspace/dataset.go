package workspace

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mlwb/mlwb/engine/frame"
)

// SnapshotFormat is the file format of every dataset snapshot in data/.
const SnapshotFormat = "parquet"

// hashPrefix is how many hex digits of the content hash name a snapshot file.
const hashPrefix = 12

// ColumnInfo describes one column of a dataset snapshot.
type ColumnInfo struct {
	Name    string `json:"name"`
	Type    string `json:"type"` // frame.Type.String(): float, int, bool, datetime, categorical, string
	Missing int    `json:"missing"`
}

// Dataset is one version of an imported dataset, as recorded in
// data/datasets.json.
type Dataset struct {
	Name string `json:"name"`
	// Version counts the versions of Name from 1.
	Version int `json:"version"`
	// Parent is the Hash of the version this one was derived from or
	// replaced, or "" for a first import.
	Parent string `json:"parent,omitempty"`
	// Hash is the hex SHA-256 of the snapshot file's bytes.
	Hash string `json:"hash"`
	// File is the snapshot's path relative to the workspace, slash-separated:
	// "data/<first 12 hex digits of Hash>.parquet".
	File string `json:"file"`
	// Size is the snapshot's size in bytes.
	Size int64 `json:"size"`
	// Source is where the data came from: an absolute file path, or a
	// description such as "clean(churn@2)".
	Source string `json:"source"`
	// Format is the source's format ("csv", "csv.gz", "parquet"...); the
	// snapshot itself is always Parquet.
	Format        string       `json:"format"`
	SourceSize    int64        `json:"source_size,omitempty"`
	SourceModTime time.Time    `json:"source_mtime,omitzero"`
	Imported      time.Time    `json:"imported"`
	Rows          int          `json:"rows"`
	Columns       []ColumnInfo `json:"columns"`
}

// Ref returns "name@version", the form the CLI accepts.
func (d Dataset) Ref() string { return fmt.Sprintf("%s@%d", d.Name, d.Version) }

// manifest is data/datasets.json.
type manifest struct {
	Format int `json:"format"`
	// Datasets holds every version of every dataset, in import order.
	Datasets []Dataset `json:"datasets"`
}

func (m *manifest) latest(name string) (Dataset, bool) {
	for i := len(m.Datasets) - 1; i >= 0; i-- {
		if m.Datasets[i].Name == name {
			return m.Datasets[i], true
		}
	}
	return Dataset{}, false
}

// ErrDatasetNotFound is matched (errors.Is) by *DatasetNotFoundError.
var ErrDatasetNotFound = errors.New("workspace: dataset not found")

// DatasetNotFoundError names a dataset the workspace does not have.
type DatasetNotFoundError struct {
	Name      string
	Available []string
}

func (e *DatasetNotFoundError) Error() string {
	if len(e.Available) == 0 {
		return fmt.Sprintf("workspace: dataset %q not found (no datasets imported yet)", e.Name)
	}
	return fmt.Sprintf("workspace: dataset %q not found (datasets: %s)", e.Name, strings.Join(e.Available, ", "))
}

// Is makes errors.Is(err, ErrDatasetNotFound) true.
func (e *DatasetNotFoundError) Is(target error) bool { return target == ErrDatasetNotFound }

// ValidDatasetName reports why name cannot name a dataset, or nil. Names are
// 1 to 100 characters without control characters, slashes or '@' (which
// separates the version in "name@2"), and without surrounding spaces.
func ValidDatasetName(name string) error {
	switch {
	case name == "":
		return errors.New("workspace: empty dataset name")
	case len(name) > 100:
		return fmt.Errorf("workspace: dataset name %q is longer than 100 bytes", name[:40]+"…")
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("workspace: dataset name %q has surrounding spaces", name)
	case name == "." || name == "..":
		return fmt.Errorf("workspace: %q is not a dataset name", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == '/' || r == '\\' || r == '@' || r == unicode.ReplacementChar {
			return fmt.Errorf("workspace: dataset name %q contains %q", name, r)
		}
	}
	return nil
}

// DatasetName derives a valid dataset name from a file path: its base name
// without extensions ("sales 2024.csv.gz" → "sales 2024"), with characters
// that ValidDatasetName rejects replaced by '_'.
func DatasetName(path string) string {
	base := filepath.Base(path)
	if base == string(filepath.Separator) || base == "." {
		return "data"
	}
	if i := strings.IndexByte(base[1:], '.'); i >= 0 {
		base = base[:i+1]
	}
	base = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '\\' || r == '@' || r == unicode.ReplacementChar {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(base, "_"))
	base = strings.TrimSpace(base)
	if len(base) > 100 {
		base = strings.ToValidUTF8(base[:100], "")
	}
	if base == "" || base == "." || base == ".." {
		return "data"
	}
	return base
}

// sourceFormat guesses a source's format from its extensions.
func sourceFormat(source string) string {
	base := strings.ToLower(filepath.Base(source))
	ext := strings.TrimPrefix(filepath.Ext(base), ".")
	switch ext {
	case "gz", "zst", "bz2", "xz", "zip":
		inner := strings.TrimPrefix(filepath.Ext(strings.TrimSuffix(base, "."+ext)), ".")
		if inner != "" {
			return inner + "." + ext
		}
	}
	return ext
}

// readManifest reads data/datasets.json; a missing file is an empty
// manifest. A corrupt one is an error naming the file: datasets are never
// dropped silently.
func (w *Workspace) readManifest() (*manifest, error) {
	p := w.Path(DataDir, ManifestFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return &manifest{Format: FormatVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("workspace: %s is corrupt: %v (the snapshots in %s are untouched; the previous manifest is in %s.bak)", p, err, w.DataDir(), ManifestFile)
	}
	if m.Format > FormatVersion {
		return nil, fmt.Errorf("workspace: %s has format %d but this mlwb reads up to %d: upgrade mlwb", p, m.Format, FormatVersion)
	}
	for i, d := range m.Datasets {
		if d.Name == "" || d.Version < 1 || d.Hash == "" || !strings.HasPrefix(d.File, DataDir+"/") {
			return nil, fmt.Errorf("workspace: %s is corrupt: entry %d (%q) lacks a name, version, hash or data/ file", p, i+1, d.Name)
		}
	}
	return &m, nil
}

// readManifestForWrite reads the manifest before a change. A missing
// manifest beside snapshots or a datasets.json.bak means it was lost, not
// that the workspace is empty: starting a new one would drop every earlier
// dataset from the registry (and, one write later, overwrite the .bak), so
// it fails with what to restore.
func (w *Workspace) readManifestForWrite() (*manifest, error) {
	p := w.Path(DataDir, ManifestFile)
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		snaps, _ := filepath.Glob(w.Path(DataDir, "*."+SnapshotFormat))
		_, berr := os.Stat(p + ".bak")
		if len(snaps) > 0 || berr == nil {
			hint := "move the snapshots out of " + w.DataDir()
			if berr == nil {
				hint = fmt.Sprintf("restore it from %s.bak (mv %s.bak %s)", ManifestFile, p, p)
			}
			return nil, fmt.Errorf("workspace: %s is missing but %s holds %d snapshots: %s before changing datasets", p, w.DataDir(), len(snaps), hint)
		}
	}
	return w.readManifest()
}

// writeManifest replaces the manifest at p, keeping the previous one as p.bak.
func writeManifest(p string, m *manifest) error {
	if old, err := os.ReadFile(p); err == nil {
		if err := WriteFileAtomic(p+".bak", old, 0o644); err != nil {
			return err
		}
	}
	m.Format = FormatVersion
	if m.Datasets == nil {
		m.Datasets = []Dataset{}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("workspace: %s: %w", p, err)
	}
	return WriteFileAtomic(p, append(b, '\n'), 0o644)
}

// datasetWarning reports snapshots without a manifest and manifest entries
// without a snapshot.
func (w *Workspace) datasetWarnings(m *manifest) []string {
	var warn []string
	if _, err := os.Stat(w.Path(DataDir, ManifestFile)); errors.Is(err, fs.ErrNotExist) {
		if snaps, _ := filepath.Glob(w.Path(DataDir, "*."+SnapshotFormat)); len(snaps) > 0 {
			warn = append(warn, fmt.Sprintf("%s is missing but %s holds %d snapshots: restore it (or %s.bak) before importing", w.Path(DataDir, ManifestFile), w.DataDir(), len(snaps), ManifestFile))
		}
		return warn
	}
	for _, d := range m.Datasets {
		if _, err := os.Stat(w.DatasetPath(d)); err != nil {
			warn = append(warn, fmt.Sprintf("dataset %s: snapshot %s is missing", d.Ref(), d.File))
		}
	}
	return warn
}

// Datasets returns the latest version of every dataset, in order of first
// import. It reads the manifest from disk, so it sees other processes'
// imports.
func (w *Workspace) Datasets() ([]Dataset, error) {
	m, err := w.readManifest()
	if err != nil {
		return nil, err
	}
	var out []Dataset
	pos := map[string]int{}
	for _, d := range m.Datasets {
		if i, ok := pos[d.Name]; ok {
			out[i] = d
		} else {
			pos[d.Name] = len(out)
			out = append(out, d)
		}
	}
	return out, nil
}

// Dataset returns the latest version of the named dataset, or a
// *DatasetNotFoundError.
func (w *Workspace) Dataset(name string) (Dataset, error) {
	v, err := w.Versions(name)
	if err != nil {
		return Dataset{}, err
	}
	return v[len(v)-1], nil
}

// DatasetRef resolves a reference as users write it: "NAME" for the latest
// version of a dataset, or "NAME@N" for version N (Dataset.Ref's form;
// dataset names never contain '@').
func (w *Workspace) DatasetRef(ref string) (Dataset, error) {
	name, ver := ref, 0
	if i := strings.LastIndexByte(ref, '@'); i > 0 {
		if v, err := strconv.Atoi(ref[i+1:]); err == nil {
			if v < 1 {
				return Dataset{}, fmt.Errorf("workspace: dataset %q: version %d is not a positive number", ref[:i], v)
			}
			name, ver = ref[:i], v
		}
	}
	vs, err := w.Versions(name)
	if err != nil {
		return Dataset{}, err
	}
	if ver == 0 {
		return vs[len(vs)-1], nil
	}
	for _, d := range vs {
		if d.Version == ver {
			return d, nil
		}
	}
	return Dataset{}, fmt.Errorf("workspace: dataset %q has versions 1 to %d, not %d", name, vs[len(vs)-1].Version, ver)
}

// Versions returns every version of the named dataset, oldest first, or a
// *DatasetNotFoundError.
func (w *Workspace) Versions(name string) ([]Dataset, error) {
	m, err := w.readManifest()
	if err != nil {
		return nil, err
	}
	var out []Dataset
	for _, d := range m.Datasets {
		if d.Name == name {
			out = append(out, d)
		}
	}
	if out == nil {
		return nil, notFound(name, m)
	}
	return out, nil
}

func notFound(name string, m *manifest) error {
	e := &DatasetNotFoundError{Name: name}
	for _, d := range m.Datasets {
		if !slices.Contains(e.Available, d.Name) {
			e.Available = append(e.Available, d.Name)
		}
	}
	return e
}

// DatasetPath returns the absolute path of d's snapshot.
func (w *Workspace) DatasetPath(d Dataset) string { return w.Path(filepath.FromSlash(d.File)) }

// ImportOptions refine ImportFrameWith. The zero value means the defaults.
type ImportOptions struct {
	// Parent is the Hash of the dataset version the frame was derived from
	// (e.g. by cleaning). Default: the previous version of the same name.
	Parent string
	// Format is the source's format. Default: guessed from the source's
	// extension.
	Format string
}

// ImportFrame stores f as dataset name, read from source, and returns its
// record. See ImportFrameWith.
func (w *Workspace) ImportFrame(ctx context.Context, name, source string, f *frame.Frame) (Dataset, error) {
	return w.ImportFrameWith(ctx, name, source, f, ImportOptions{})
}

// ImportFrameWith writes f as a Parquet snapshot data/<hash>.parquet, where
// hash is the SHA-256 of the written bytes, and records it in the manifest:
//
//   - a new name becomes version 1;
//   - if the latest version of name has the same hash, nothing changes and
//     that version is returned;
//   - otherwise a new version (latest+1, Parent = latest's hash) is added:
//     an import never overwrites earlier data.
//
// Identical content imported under several names shares one snapshot file.
// The snapshot is written and fsynced before the lock is taken, so a long
// write does not block other writers; only the rename and the manifest update
// run under the lock. ctx cancels the write and bounds the wait for the lock.
// When source is an existing file its size and modification time are
// recorded.
func (w *Workspace) ImportFrameWith(ctx context.Context, name, source string, f *frame.Frame, opt ImportOptions) (Dataset, error) {
	if err := ValidDatasetName(name); err != nil {
		return Dataset{}, err
	}
	d := Dataset{Name: name, Source: source, Format: opt.Format, Rows: f.NumRows(), Imported: time.Now().UTC()}
	if fi, err := os.Stat(source); err == nil && fi.Mode().IsRegular() {
		if abs, err := filepath.Abs(source); err == nil {
			d.Source = abs
		}
		d.SourceSize, d.SourceModTime = fi.Size(), fi.ModTime().UTC()
	}
	if d.Format == "" {
		d.Format = sourceFormat(source)
	}
	d.Columns = make([]ColumnInfo, f.NumCols())
	for i, c := range f.Columns() {
		d.Columns[i] = ColumnInfo{Name: c.Name(), Type: c.Type().String(), Missing: c.NullCount()}
	}

	tmp, err := os.CreateTemp(w.DataDir(), ".import"+tempMarker+"*")
	if err != nil {
		return Dataset{}, fmt.Errorf("workspace: import %s: %w", name, err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // fails harmlessly once renamed
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	cw := &countWriter{ctx: ctx, w: io.MultiWriter(bw, h)}
	if err := w.opt.Codec.Write(cw, f); err != nil {
		return Dataset{}, fmt.Errorf("workspace: import %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return Dataset{}, fmt.Errorf("workspace: import %s: %w", name, err)
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600 files
		return Dataset{}, fmt.Errorf("workspace: import %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return Dataset{}, fmt.Errorf("workspace: import %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return Dataset{}, fmt.Errorf("workspace: import %s: %w", name, err)
	}
	d.Hash = hex.EncodeToString(h.Sum(nil))
	d.Size = cw.n
	d.File = path.Join(DataDir, d.Hash[:hashPrefix]+"."+SnapshotFormat)

	reused := false
	err = w.withWriteLock(ctx, func() error {
		m, err := w.readManifestForWrite()
		if err != nil {
			return err
		}
		prev, hasPrev := m.latest(name)
		if hasPrev && prev.Hash == d.Hash {
			d, reused = prev, true
			return nil
		}
		for _, o := range m.Datasets {
			if o.File == d.File && o.Hash != d.Hash {
				return fmt.Errorf("workspace: import %s: snapshot name %s is taken by a different hash (%s)", name, d.File, o.Hash)
			}
		}
		d.Version, d.Parent = 1, opt.Parent
		if hasPrev {
			d.Version = prev.Version + 1
			if d.Parent == "" {
				d.Parent = prev.Hash
			}
		}
		final := w.DatasetPath(d)
		if fi, err := os.Stat(final); err == nil && fi.Size() == d.Size && slices.ContainsFunc(m.Datasets, func(o Dataset) bool { return o.Hash == d.Hash }) {
			// The same content is already stored (under another name or
			// an older version): share it.
		} else {
			if err := os.Rename(tmp.Name(), final); err != nil {
				return fmt.Errorf("workspace: import %s: %w", name, err)
			}
			if err := syncDir(w.DataDir()); err != nil {
				return err
			}
		}
		m.Datasets = append(m.Datasets, d)
		return writeManifest(w.Path(DataDir, ManifestFile), m)
	})
	if err != nil {
		return Dataset{}, err
	}
	details := map[string]any{"name": d.Name, "version": d.Version, "hash": d.Hash, "rows": d.Rows, "columns": len(d.Columns), "source": d.Source}
	if reused {
		details["unchanged"] = true
	}
	return d, w.Log("dataset.import", details)
}

// countWriter counts bytes and stops the codec when ctx is cancelled.
type countWriter struct {
	ctx context.Context
	w   io.Writer
	n   int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// LoadDataset reads the latest version of the named dataset.
func (w *Workspace) LoadDataset(ctx context.Context, name string) (*frame.Frame, error) {
	d, err := w.Dataset(name)
	if err != nil {
		return nil, err
	}
	return w.Load(ctx, d)
}

// Load reads the snapshot of dataset version d. It checks the file's size
// against the manifest first, so a truncated or replaced snapshot is
// reported rather than half read.
func (w *Workspace) Load(ctx context.Context, d Dataset) (*frame.Frame, error) {
	p := w.DatasetPath(d)
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("workspace: dataset %s: %w", d.Ref(), err)
	}
	if fi.Size() != d.Size {
		return nil, fmt.Errorf("workspace: dataset %s: snapshot %s has %d bytes, the manifest says %d: it was changed outside mlwb", d.Ref(), p, fi.Size(), d.Size)
	}
	f, err := w.opt.Codec.Read(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("workspace: dataset %s: %w", d.Ref(), err)
	}
	return f, nil
}

// DeleteDataset removes every version of the named dataset from the
// manifest and deletes the snapshot files no other dataset uses. The
// history keeps a record of the hashes.
func (w *Workspace) DeleteDataset(ctx context.Context, name string) error {
	var gone []Dataset
	err := w.withWriteLock(ctx, func() error {
		m, err := w.readManifestForWrite()
		if err != nil {
			return err
		}
		var keep []Dataset
		for _, d := range m.Datasets {
			if d.Name == name {
				gone = append(gone, d)
			} else {
				keep = append(keep, d)
			}
		}
		if gone == nil {
			return notFound(name, m)
		}
		m.Datasets = keep
		if err := writeManifest(w.Path(DataDir, ManifestFile), m); err != nil {
			return err
		}
		for _, d := range gone {
			if !slices.ContainsFunc(keep, func(k Dataset) bool { return k.File == d.File }) {
				if err := os.Remove(w.DatasetPath(d)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("workspace: delete %s: %w", name, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	hashes := make([]string, len(gone))
	for i, d := range gone {
		hashes[i] = d.Hash
	}
	return w.Log("dataset.delete", map[string]any{"name": name, "versions": len(gone), "hashes": hashes})
}
