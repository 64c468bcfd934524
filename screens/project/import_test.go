package project

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

func TestImportFlow(t *testing.T) {
	ws := newWorkspace(t)
	path := writeFile(t, t.TempDir(), "customers.csv", churnCSV)
	r := newScreen(t, ws, 80, 24, Options{})
	m := r.m

	r.keys(t, "i")
	if !m.Capturing() || m.mode != modeImport {
		t.Fatalf("after i: mode %v, capturing %v", m.mode, m.Capturing())
	}
	r.typeText(t, path)
	if got := m.imp.name.Placeholder; got != "customers" {
		t.Errorf("name placeholder = %q, want the default name customers", got)
	}
	r.keys(t, "enter") // starts the job; Settle waits for it

	if m.mode != modeBrowse || m.imp != nil {
		t.Fatalf("prompt still open after enter (error %q)", m.imp.err)
	}
	if errs := r.errs(); len(errs) > 0 {
		t.Fatalf("import failed: %v", errs)
	}
	if len(m.datasets) != 1 {
		t.Fatalf("datasets = %+v, want the imported one", m.datasets)
	}
	d := m.datasets[m.cursor]
	if d.Name != "customers" || d.Version != 1 || d.Rows != 5 || len(d.Columns) != 5 {
		t.Errorf("dataset under the cursor = %s v%d, %d rows, %d columns", d.Name, d.Version, d.Rows, len(d.Columns))
	}
	if m.focus != paneDatasets {
		t.Errorf("focus = %v, want datasets", m.focus)
	}
	if r.count(ui.DatasetSelectedMsg{Name: "customers"}) != 1 {
		t.Errorf("the new dataset was not opened: %v", r.msgs)
	}
	if got := r.statuses(); !slices.Contains(got, "imported customers v1: 5 rows × 5 columns") {
		t.Errorf("statuses = %q", got)
	}
	if a := actions(t, ws); a[len(a)-1] != "dataset.import" {
		t.Errorf("history = %v, want dataset.import last", a)
	}
	if len(m.history) == 0 || m.history[0].Action != "dataset.import" {
		t.Errorf("history pane does not show the import first: %+v", m.history)
	}
	if v := m.View(); !strings.Contains(v, "customers") || !strings.Contains(v, "customers.csv") {
		t.Errorf("view lacks the dataset:\n%s", v)
	}

	// Enter on the dataset opens it and shows the Data screen.
	r.reset()
	r.keys(t, "enter")
	if r.count(ui.DatasetSelectedMsg{Name: "customers"}) != 1 || r.count(ui.SwitchScreenMsg{Index: DataScreen}) != 1 {
		t.Errorf("enter on a dataset sent %v", r.msgs)
	}
}

func TestImportUnderExistingNameAddsVersion(t *testing.T) {
	ws := newWorkspace(t)
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", churnCSV)
	b := writeFile(t, dir, "b.csv", churnCSV+"c6,19,10-19,pro,no\n")
	r := newScreen(t, ws, 120, 40, Options{})
	m := r.m
	for i, p := range []string{a, b} {
		r.keys(t, "i")
		r.typeText(t, p)
		r.keys(t, "tab") // the path is complete: tab goes to the name
		if m.imp.focus != 1 {
			t.Fatalf("tab on a complete path: focus %d, want the name field", m.imp.focus)
		}
		r.typeText(t, "subs")
		if i == 1 && !strings.Contains(m.View(), "subs exists: this adds version 2") {
			t.Errorf("the prompt does not warn that subs exists:\n%s", m.View())
		}
		r.keys(t, "enter")
	}
	if errs := r.errs(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(m.datasets) != 1 || m.datasets[0].Version != 2 || m.datasets[0].Rows != 6 {
		t.Errorf("datasets = %+v, want subs v2 with 6 rows", m.datasets)
	}
}

func TestImportParseError(t *testing.T) {
	ws := newWorkspace(t)
	path := writeFile(t, t.TempDir(), "bad.csv", "a,b\n1,\"x\n")
	r := newScreen(t, ws, 80, 24, Options{})
	r.keys(t, "i")
	r.typeText(t, path)
	r.keys(t, "enter")
	errs := r.errs()
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one", errs)
	}
	var pe *dataio.ParseError
	if !errors.As(errs[0], &pe) {
		t.Fatalf("error %v (%T) is not a *dataio.ParseError", errs[0], errs[0])
	}
	if want := path + ":2:3:"; !strings.Contains(errs[0].Error(), want) {
		t.Errorf("error %q does not name %s", errs[0], want)
	}
	if len(r.m.datasets) != 0 || r.m.mode != modeBrowse {
		t.Errorf("after a failed import: datasets %v, mode %v", r.m.datasets, r.m.mode)
	}
	if a := actions(t, ws); slices.Contains(a, "dataset.import") {
		t.Errorf("history records a failed import: %v", a)
	}
}

func TestImportCancelled(t *testing.T) {
	ws := newWorkspace(t)
	path := writeFile(t, t.TempDir(), "slow.csv", churnCSV)
	started := make(chan struct{})
	load := func(ctx context.Context, _ string, progress func(done, total int64)) (*frame.Frame, error) {
		progress(10, 100)
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	ctx, cancel := ctxWithCancel(t)
	c := uitest.Common(t, themes.NameDark)
	c.Workspace, c.Ctx = ws, ctx
	r := newScreenWith(t, c, 80, 24, Options{Load: load})
	go func() {
		<-started
		cancel() // what esc does: the root cancels the job's context
	}()
	r.keys(t, "i")
	r.typeText(t, path)
	r.keys(t, "enter")
	if got := r.statuses(); !slices.Contains(got, "import cancelled") {
		t.Errorf("statuses = %q, want import cancelled", got)
	}
	if errs := r.errs(); len(errs) > 0 {
		t.Errorf("a cancelled import reported %v", errs)
	}
	if r.m.importJob.Running() || len(r.m.datasets) != 0 {
		t.Errorf("after cancel: job running %v, datasets %v", r.m.importJob.Running(), r.m.datasets)
	}
}

func TestImportPathCompletion(t *testing.T) {
	ws := newWorkspace(t)
	dir := t.TempDir()
	for _, f := range []string{"iris.csv", "iris_small.csv", "notes.txt", ".hidden.csv", "sub/inner.csv"} {
		writeFile(t, dir, f, "a\n1\n")
	}
	r := newScreen(t, ws, 80, 24, Options{})
	m := r.m
	r.keys(t, "i")
	path := func() string { return m.imp.path.Value() }
	clear := func() { r.keys(t, "ctrl+u") }

	r.typeText(t, dir+"/no")
	r.keys(t, "tab")
	if got := path(); got != dir+"/notes.txt" {
		t.Errorf("no+tab = %q", got)
	}

	clear()
	r.typeText(t, dir+"/ir")
	r.keys(t, "tab") // two matches: their common prefix
	if got := path(); got != dir+"/iris" {
		t.Errorf("ir+tab = %q, want the common prefix iris", got)
	}
	r.keys(t, "tab") // then the selected match
	if got := path(); got != dir+"/iris.csv" {
		t.Errorf("iris+tab = %q", got)
	}

	clear()
	r.typeText(t, dir+"/")
	sug := m.imp.path.AvailableSuggestions()
	if slices.Contains(sug, dir+"/.hidden.csv") || !slices.Contains(sug, dir+"/sub/") {
		t.Errorf("suggestions in %s = %q: want sub/ and no hidden file", dir, sug)
	}
	r.typeText(t, ".")
	if sug := m.imp.path.MatchedSuggestions(); !slices.Equal(sug, []string{dir + "/.hidden.csv"}) {
		t.Errorf("suggestions for . = %q", sug)
	}

	clear()
	r.typeText(t, dir+"/su")
	r.keys(t, "tab", "i", "tab") // into sub/, then its only file
	if got := path(); got != dir+"/sub/inner.csv" {
		t.Errorf("su+tab, i+tab = %q", got)
	}

	clear()
	r.typeText(t, dir+"/sub")
	r.keys(t, "enter") // enter on a folder opens it
	if got := path(); got != dir+"/sub/" || m.mode != modeImport {
		t.Errorf("enter on a folder: path %q, mode %v", got, m.mode)
	}
	if v := m.View(); !strings.Contains(v, "inner.csv") {
		t.Errorf("the folder's files are not listed:\n%s", v)
	}

	clear()
	r.typeText(t, filepath.Join(dir, "nope.csv"))
	r.keys(t, "enter")
	if m.mode != modeImport || m.imp.err != "no such file" {
		t.Errorf("missing file: mode %v, error %q", m.mode, m.imp.err)
	}
	if !strings.Contains(m.View(), "no such file") {
		t.Error("the error is not shown")
	}
}

func TestImportBadName(t *testing.T) {
	ws := newWorkspace(t)
	path := writeFile(t, t.TempDir(), "x.csv", churnCSV)
	r := newScreen(t, ws, 80, 24, Options{})
	r.keys(t, "i")
	r.typeText(t, path)
	r.keys(t, "tab")
	r.typeText(t, "a@b")
	r.keys(t, "enter")
	m := r.m
	if m.mode != modeImport || m.imp.errField != 1 || !strings.Contains(m.imp.err, `contains '@'`) {
		t.Fatalf("bad name: mode %v, error %q on field %d", m.mode, m.imp.err, m.imp.errField)
	}
	r.keys(t, "esc")
	if m.mode != modeBrowse || m.Capturing() {
		t.Errorf("esc left mode %v", m.mode)
	}
	if len(m.datasets) != 0 {
		t.Errorf("datasets = %v", m.datasets)
	}
}
