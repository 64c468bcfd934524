package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/expr"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/app"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

const (
	waitFor = 30 * time.Second // generous: -race on a loaded 2-core machine
	filter  = `age > 40 && plan == "premium"`
)

func contains(s string) func([]byte) bool {
	return func(b []byte) bool { return bytes.Contains(b, []byte(s)) }
}

// expectedRows counts the rows of f that filter keeps, straight from the engine.
func expectedRows(t *testing.T, f *frame.Frame) int {
	t.Helper()
	e, err := expr.Parse(filter)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Bind(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := p.Filter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// flow drives a running app: waits for the dataset, visits every screen and
// comes back to Data, filters with an expression and quits with q.
func flow(t *testing.T, cfg app.Config, rows, kept int) {
	t.Helper()
	cfg.Renderer = uitest.Renderer()
	cfg.Theme = themes.NameNoColor
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := app.New(ctx, cfg)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	out := tm.Output()
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, out, contains(s), teatest.WithDuration(waitFor), teatest.WithCheckInterval(20*time.Millisecond))
	}
	wait("opened customers")

	screens := app.Screens(uitest.Common(t, themes.NameNoColor))
	n, data := len(screens), -1
	for i, s := range screens {
		if s.Title() == "Data" {
			data = i
		}
	}
	for i := range n {
		tm.Send(uitest.Key(fmt.Sprint(i + 1)))
	}
	tm.Send(uitest.Key(fmt.Sprint(data + 1)))
	wait(fmt.Sprintf("row 1 of %s ", ui.Thousands(int64(rows))))

	tm.Send(uitest.Key("/"))
	wait("text, or an expression")
	tm.Type(filter)
	tm.Send(uitest.Key("enter"))
	wait(fmt.Sprintf("row 1 of %s (filtered from %s)", ui.Thousands(int64(kept)), ui.Thousands(int64(rows))))

	tm.Send(uitest.Key("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitFor))
	final := tm.FinalModel(t).(*ui.App)
	if final.Err() != nil {
		t.Errorf("error view: %v", final.Err())
	}
}

func TestFlowInMemoryFrame(t *testing.T) {
	f := demo.Customers(7, 500)
	loader := func(ctx context.Context, name string, progress func(done, total int64)) (*frame.Frame, error) {
		progress(1, 1)
		return f, nil
	}
	flow(t, app.Config{Loader: loader, Dataset: "customers", Title: "flow"}, 500, expectedRows(t, f))
}

func TestFlowDemoWorkspace(t *testing.T) {
	dir := workspaceDir(t)
	ws, err := workspace.Init(dir, "churn")
	if err != nil {
		t.Fatal(err)
	}
	f := demo.Customers(3, 2000)
	if _, err := ws.ImportFrame(context.Background(), "customers", "demo", f); err != nil {
		t.Fatal(err)
	}
	kept := expectedRows(t, f)
	flow(t, app.Config{Workspace: ws, Dataset: "customers"}, 2000, kept)

	// The dataset, screen and filter were saved, and a new session restores
	// them.
	var st string
	for range 100 {
		if s := ws.State(); s.Dataset == "customers" && s.Screen == "Data" && s.Get("Data", "filter") == filter {
			st = "ok"
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st != "ok" {
		t.Fatalf("state not saved: %+v", ws.State())
	}
	ws2, err := workspace.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := app.New(context.Background(), app.Config{Workspace: ws2, Renderer: uitest.Renderer(), Theme: themes.NameNoColor})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), contains(fmt.Sprintf("row 1 of %s (filtered from 2,000)", ui.Thousands(int64(kept)))), teatest.WithDuration(waitFor))
	// The screens start work on open (profiling, the recipe): a first ctrl+c
	// that lands while it runs only cancels it, so press it twice, as a
	// user would (under -race on a busy machine the single press timed out).
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitFor))
}

func TestRunFileOpensFile(t *testing.T) {
	// A file opened without a workspace: Config.File selects the Data
	// screen and the dataio loader.
	path := t.TempDir() + "/tiny.csv"
	if err := writeFile(path, "a,b\n1,x\n2,y\n3,z\n"); err != nil {
		t.Fatal(err)
	}
	m := app.New(context.Background(), app.Config{File: path, Renderer: uitest.Renderer(), Theme: themes.NameNoColor})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), contains("row 1 of 3 "), teatest.WithDuration(waitFor))
	tm.Send(uitest.Key("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitFor))
	if v := tm.FinalModel(t).View(); !strings.Contains(v, "tiny.csv") {
		t.Errorf("title missing from the header:\n%s", v)
	}
}

func TestWorkspaceWithoutSelectionOpensLatestDataset(t *testing.T) {
	// Datasets imported by the CLI leave no selection in state.json: the UI
	// opens the most recently imported one.
	ws, err := workspace.Init(workspaceDir(t), "two")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ws.ImportFrame(ctx, "older", "demo", demo.Customers(2, 50)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // distinct import times
	if _, err := ws.ImportFrame(ctx, "newer", "demo", demo.Customers(3, 70)); err != nil {
		t.Fatal(err)
	}
	m := app.New(ctx, app.Config{Workspace: ws, Renderer: uitest.Renderer(), Theme: themes.NameNoColor})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), contains("opened newer: 70 rows"), teatest.WithDuration(waitFor))
	tm.Send(uitest.Key("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitFor))
}

// workspaceDir returns a folder for a workspace that the app's background
// jobs (profile cache, alerts) may still be writing into for a moment after
// the program quits: its removal is retried instead of failing the test the
// way t.TempDir's cleanup would.
func workspaceDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "mlwb-app-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove %s", dir)
	})
	return dir
}
