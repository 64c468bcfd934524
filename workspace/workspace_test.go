package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestInitOpenRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "churn")
	w, err := Init(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if w.Card().Name != "churn" {
		t.Errorf("default name = %q, want the folder's base name", w.Card().Name)
	}
	for _, p := range []string{CardFile, HistoryFile, StateFile, DataDir + "/" + ManifestFile, ".mlwb/version", RunsDir, StudiesDir, ModelsDir, MonitorDir, ReportsDir} {
		if _, err := os.Stat(w.Path(p)); err != nil {
			t.Errorf("after Init: %v", err)
		}
	}
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w2.Dir() != w.Dir() || !reflect.DeepEqual(w2.Card(), w.Card()) {
		t.Errorf("reopened %s %+v, want %s %+v", w2.Dir(), w2.Card(), w.Dir(), w.Card())
	}
	if ws := w2.Warnings(); len(ws) != 0 {
		t.Errorf("fresh workspace warnings: %q", ws)
	}
	ev, err := w2.History(0)
	if err != nil || len(ev) != 1 || ev[0].Action != "init" || ev[0].PID != os.Getpid() || ev[0].User == "" {
		t.Errorf("history = %+v, %v; want one init event by this process", ev, err)
	}
	if _, err := Init(dir, "again"); !errors.Is(err, ErrExists) {
		t.Errorf("second Init: %v, want ErrExists", err)
	}
}

func TestInitInFolderWithFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sales.csv"), []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(dir, "sales"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "sales.csv")); string(b) != "a\n1\n" {
		t.Errorf("Init touched an existing file: %q", b)
	}
}

func TestOpenNotWorkspace(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir)
	want := `no mlwb workspace at ` + dir + ` (run "mlwb init ` + dir + `")`
	if err == nil || err.Error() != want || !errors.Is(err, ErrNotWorkspace) {
		t.Errorf("Open(empty) = %v, want %q matching ErrNotWorkspace", err, want)
	}
	if _, err := Find(dir); !errors.Is(err, ErrNotWorkspace) {
		t.Errorf("Find(empty) = %v, want ErrNotWorkspace", err)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, "p"); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(dir, RunsDir, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := Find(deep)
	if err != nil || got != dir {
		t.Errorf("Find(%s) = %q, %v; want %q", deep, got, err, dir)
	}
}

func TestOpenRestoresMissingFolders(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, "p"); err != nil {
		t.Fatal(err)
	}
	// As if cloned from git without the machine-local parts.
	for _, p := range []string{".mlwb", RunsDir, ReportsDir} {
		if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".mlwb/version", RunsDir, ReportsDir} {
		if _, err := os.Stat(w.Path(p)); err != nil {
			t.Errorf("not restored: %v", err)
		}
	}
}

func TestOpenNewerFormat(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, "p"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".mlwb", "version"), []byte(`{"format": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "format 99") || !strings.Contains(err.Error(), "upgrade mlwb") {
		t.Errorf("Open(format 99) = %v, want an upgrade message", err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := Init(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	var s State
	s.Dataset, s.Screen = "churn", "profile"
	s.Set("profile", "sort", "missing")
	s.Set("data", "row", "42")
	s.Set("data", "col", "x")
	s.Set("data", "col", "") // deletes
	if err := w.SaveState(s); err != nil {
		t.Fatal(err)
	}
	s.Set("profile", "sort", "changed after save")
	if w.State().Get("profile", "sort") != "missing" {
		t.Error("State shares maps with the value passed to SaveState")
	}
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := w2.State()
	want := State{Dataset: "churn", Screen: "profile", Screens: map[string]map[string]string{
		"profile": {"sort": "missing"}, "data": {"row": "42"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reopened state %+v, want %+v", got, want)
	}
}

func TestCorruptStateIsReset(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, "p"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte(`{"dataset": "x", "scr`), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir)
	if err != nil {
		t.Fatalf("corrupt state.json must not stop Open: %v", err)
	}
	if !reflect.DeepEqual(w.State(), State{}) {
		t.Errorf("state = %+v, want reset", w.State())
	}
	ws := w.Warnings()
	if len(ws) != 1 || !strings.Contains(ws[0], StateFile) {
		t.Errorf("warnings = %q, want one naming %s", ws, StateFile)
	}
	if b, err := os.ReadFile(filepath.Join(dir, StateFile+".corrupt")); err != nil || !strings.Contains(string(b), `"scr`) {
		t.Errorf("corrupt state not kept: %q, %v", b, err)
	}
}
