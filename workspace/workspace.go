package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
)

// FormatVersion is the on-disk format this package writes, recorded in
// .mlwb/version. Open refuses workspaces of a newer format and will migrate
// older ones when there are any.
const FormatVersion = 1

// File and directory names inside a workspace.
const (
	CardFile     = "mlwb.toml"
	HistoryFile  = "history.jsonl"
	StateFile    = "state.json"
	DataDir      = "data"
	RunsDir      = "runs"
	StudiesDir   = "studies"
	ModelsDir    = "models"
	MonitorDir   = "monitor"
	ReportsDir   = "reports"
	FeaturesDir  = "features"      // feature pipelines and selections
	ManifestFile = "datasets.json" // inside DataDir

	metaDir     = ".mlwb"
	lockFile    = "lock"
	versionFile = "version"
)

// subdirs are created by Init and re-created by Open when missing.
var subdirs = []string{DataDir, RunsDir, StudiesDir, ModelsDir, MonitorDir, ReportsDir, FeaturesDir, metaDir}

// ErrNotWorkspace is matched (errors.Is) by the error of Open and Find when
// there is no workspace.
var ErrNotWorkspace = errors.New("workspace: not an mlwb workspace")

// ErrExists is returned by Init when the folder already is a workspace.
var ErrExists = errors.New("a workspace already exists there")

// NotWorkspaceError says that Dir holds no workspace (no mlwb.toml).
type NotWorkspaceError struct{ Dir string }

func (e *NotWorkspaceError) Error() string {
	return fmt.Sprintf("no mlwb workspace at %s (run \"mlwb init %s\")", e.Dir, e.Dir)
}

// Is makes errors.Is(err, ErrNotWorkspace) true.
func (e *NotWorkspaceError) Is(target error) bool { return target == ErrNotWorkspace }

// FrameWriter writes f to w as a Parquet file (dataio.WriteParquet).
type FrameWriter func(w io.Writer, f *frame.Frame) error

// FrameReader reads the Parquet file at path (dataio.ReadParquetFile with
// default options).
type FrameReader func(ctx context.Context, path string) (*frame.Frame, error)

// Codec stores and loads dataset snapshots. The zero Codec in Options means
// DefaultCodec; tests and tools may substitute their own.
type Codec struct {
	Write FrameWriter
	Read  FrameReader
}

// DefaultCodec returns dataio's Parquet writer and reader.
func DefaultCodec() Codec {
	return Codec{
		Write: dataio.WriteParquet,
		Read: func(ctx context.Context, path string) (*frame.Frame, error) {
			return dataio.ReadParquetFile(ctx, path, dataio.Options{})
		},
	}
}

// Options configure a Workspace handle. The zero value means the defaults.
type Options struct {
	// Codec writes and reads snapshots; nil functions mean DefaultCodec's.
	Codec Codec
	// LockTimeout bounds how long a write method waits for another writer
	// (default 10s); the caller's ctx can only shorten it. Use Lock with
	// LockFail to fail at once instead.
	LockTimeout time.Duration
}

const defaultLockTimeout = 10 * time.Second

// versionInfo is the content of .mlwb/version.
type versionInfo struct {
	Format  int       `json:"format"`
	Created time.Time `json:"created"`
}

// Workspace is an open project folder. Its methods are safe for concurrent
// use; several handles, in one process or several, may share a folder.
type Workspace struct {
	dir string
	opt Options

	mu       sync.Mutex // guards card, cardStamp, state, warnings
	card     Card
	cardText []byte // the card file as last read or written
	state    State
	warnings []string

	opMu      sync.Mutex // serialises write methods of this handle
	lockMu    sync.Mutex // guards held, heldSince
	held      *Lock
	heldSince time.Time
}

// Init creates a workspace in dir (created if needed; it may already hold
// other files) with a project card named name (default: dir's base name),
// and returns it opened with default options. It fails with ErrExists when dir
// already is a workspace. mlwb.toml is written last, so a crash during Init
// leaves a folder that is not yet a workspace and Init can be run again.
func Init(dir, name string) (*Workspace, error) { return InitWith(dir, name, Options{}) }

// InitWith is Init with options.
func InitWith(dir, name string, opt Options) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace: init %s: %w", dir, err)
	}
	if name == "" {
		name = filepath.Base(abs)
	}
	card := Card{Name: name}
	if err := card.Validate(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(abs, CardFile)); err == nil {
		return nil, fmt.Errorf("workspace: init %s: %w (%s present)", abs, ErrExists, CardFile)
	}
	for _, d := range subdirs {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o755); err != nil {
			return nil, fmt.Errorf("workspace: init %s: %w", abs, err)
		}
	}
	w := &Workspace{dir: abs, opt: withDefaults(opt), card: card}
	err = w.withWriteLock(context.Background(), func() error {
		if _, err := os.Stat(w.Path(CardFile)); err == nil {
			return fmt.Errorf("workspace: init %s: %w (%s present)", abs, ErrExists, CardFile)
		}
		if err := w.writeMeta(); err != nil {
			return err
		}
		if _, err := os.Stat(w.Path(DataDir, ManifestFile)); errors.Is(err, fs.ErrNotExist) {
			if err := writeManifest(w.Path(DataDir, ManifestFile), &manifest{Format: FormatVersion}); err != nil {
				return err
			}
		}
		if err := w.writeState(State{}); err != nil {
			return err
		}
		text := card.Render()
		if err := WriteFileAtomic(w.Path(CardFile), text, 0o644); err != nil {
			return err
		}
		w.cardText = text
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := w.Log("init", map[string]any{"name": name}); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Workspace) writeMeta() error {
	b, _ := json.MarshalIndent(versionInfo{Format: FormatVersion, Created: time.Now().UTC()}, "", "  ")
	if err := WriteFileAtomic(w.Path(metaDir, versionFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	// Lock and temporary files are per machine; the rest of the workspace may
	// well be kept in git.
	return WriteFileAtomic(w.Path(metaDir, ".gitignore"), []byte("lock\n*"+tempMarker+"*\n"), 0o644)
}

func withDefaults(opt Options) Options {
	def := DefaultCodec()
	if opt.Codec.Write == nil {
		opt.Codec.Write = def.Write
	}
	if opt.Codec.Read == nil {
		opt.Codec.Read = def.Read
	}
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = defaultLockTimeout
	}
	return opt
}

// Open opens the workspace in dir with default options.
func Open(dir string) (*Workspace, error) { return OpenWith(dir, Options{}) }

// OpenWith opens the workspace in dir. It fails with a *NotWorkspaceError when
// dir has no mlwb.toml, with a *CardError naming file, line and column when
// the card does not parse or is invalid, and with an error naming
// data/datasets.json when the datasets manifest is corrupt. A corrupt
// state.json (UI state only) is set aside as state.json.corrupt and reset,
// with a message in Warnings. Missing folders are re-created.
func OpenWith(dir string, opt Options) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("workspace: open %s: %w", dir, err)
	}
	fi, err := os.Stat(filepath.Join(abs, CardFile))
	if err != nil || !fi.Mode().IsRegular() {
		return nil, &NotWorkspaceError{Dir: abs}
	}
	w := &Workspace{dir: abs, opt: withDefaults(opt)}
	if err := w.checkVersion(); err != nil {
		return nil, err
	}
	for _, d := range subdirs {
		if err := os.MkdirAll(w.Path(d), 0o755); err != nil {
			return nil, fmt.Errorf("workspace: open %s: %w", abs, err)
		}
	}
	if err := w.Reload(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(w.Path(metaDir, versionFile)); errors.Is(err, fs.ErrNotExist) {
		// A workspace cloned without .mlwb: restore it.
		if err := w.withWriteLock(context.Background(), w.writeMeta); err != nil {
			return nil, err
		}
	}
	cutoff := time.Now().Add(-time.Hour)
	for _, d := range append([]string{"."}, subdirs...) {
		sweepTemp(w.Path(d), cutoff)
	}
	return w, nil
}

func (w *Workspace) checkVersion() error {
	path := w.Path(metaDir, versionFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	var v versionInfo
	if err := json.Unmarshal(b, &v); err != nil || v.Format < 1 {
		return fmt.Errorf("workspace: %s is corrupt (want {\"format\": %d}): %v", path, FormatVersion, err)
	}
	if v.Format > FormatVersion {
		return fmt.Errorf("workspace: %s has format %d but this mlwb reads formats up to %d: upgrade mlwb", w.dir, v.Format, FormatVersion)
	}
	return nil
}

// Reload re-reads the card, the datasets manifest and the UI state from disk,
// e.g. after the user edited mlwb.toml. On error the handle keeps its
// previous card and state.
func (w *Workspace) Reload() error {
	card, text, warn, err := readCard(w.Path(CardFile))
	if err != nil {
		return err
	}
	m, err := w.readManifest()
	if err != nil {
		return err
	}
	state, swarn := w.readState()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.card, w.cardText, w.state = card, text, state
	w.warnings = append(warn, swarn...)
	w.warnings = append(w.warnings, w.datasetWarnings(m)...)
	return nil
}

// Warnings returns problems found by the last Open or Reload that did not
// stop it: unknown keys in the card, a reset state.json, snapshots without a
// manifest. The UI shows them once.
func (w *Workspace) Warnings() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.warnings)
}

// Find returns the workspace folder that contains start, searching start and
// its parents for mlwb.toml. It fails with a *NotWorkspaceError for start.
func Find(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("workspace: find %s: %w", start, err)
	}
	for d := abs; ; {
		if fi, err := os.Stat(filepath.Join(d, CardFile)); err == nil && fi.Mode().IsRegular() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", &NotWorkspaceError{Dir: abs}
		}
		d = parent
	}
}

// Dir returns the workspace's absolute folder.
func (w *Workspace) Dir() string { return w.dir }

// Path joins parts to the workspace folder: w.Path("runs", id, "metrics.json").
func (w *Workspace) Path(parts ...string) string {
	return filepath.Join(append([]string{w.dir}, parts...)...)
}

// DataDir returns the folder of dataset snapshots.
func (w *Workspace) DataDir() string { return w.Path(DataDir) }

// RunsDir returns the folder of training runs.
func (w *Workspace) RunsDir() string { return w.Path(RunsDir) }

// StudiesDir returns the folder of hyper-parameter studies.
func (w *Workspace) StudiesDir() string { return w.Path(StudiesDir) }

// ModelsDir returns the folder of saved models.
func (w *Workspace) ModelsDir() string { return w.Path(ModelsDir) }

// MonitorDir returns the folder of monitoring data.
func (w *Workspace) MonitorDir() string { return w.Path(MonitorDir) }

// ReportsDir returns the folder of generated reports.
func (w *Workspace) ReportsDir() string { return w.Path(ReportsDir) }

// FeaturesDir returns the folder of feature pipelines (pipelines/) and
// saved feature selections (selections/).
func (w *Workspace) FeaturesDir() string { return w.Path(FeaturesDir) }

// TempDir returns a folder for temporary files on the workspace's file
// system, so that they can be renamed into place.
func (w *Workspace) TempDir() string { return w.Path(metaDir) }
