package workspace

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestHistoryTornLine(t *testing.T) {
	w, err := Init(t.TempDir(), "p")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Log("train", map[string]any{"model": "gbm", "auc": 0.91}); err != nil {
		t.Fatal(err)
	}
	// A writer killed mid-line.
	f, err := os.OpenFile(w.Path(HistoryFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"time":"2024-01-01T00:00:00Z","pid":1,"action":"tor`)
	f.Close()

	ev, err := w.History(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 2 || ev[1].Action != "train" || ev[1].Details["auc"] != 0.91 {
		t.Fatalf("history with torn tail = %+v", ev)
	}
	// The next event must not be glued to the torn fragment.
	if err := w.Log("after", nil); err != nil {
		t.Fatal(err)
	}
	ev, err = w.History(2)
	if err != nil || len(ev) != 2 || ev[0].Action != "train" || ev[1].Action != "after" {
		t.Fatalf("History(2) after torn line = %+v, %v", ev, err)
	}
}

func TestHistoryLimitAcrossChunks(t *testing.T) {
	w, err := Init(t.TempDir(), "p")
	if err != nil {
		t.Fatal(err)
	}
	// Events larger than a read chunk in total, some larger than a chunk alone.
	big := strings.Repeat("x", historyChunk+100)
	const n = 60
	for i := range n {
		d := map[string]any{"i": i}
		if i%20 == 7 {
			d["blob"] = big
		}
		if err := w.Log("step", d); err != nil {
			t.Fatal(err)
		}
	}
	all, err := w.History(0)
	if err != nil || len(all) != n+1 || all[0].Action != "init" {
		t.Fatalf("History(0): %d events, %v", len(all), err)
	}
	for _, limit := range []int{1, 13, 41, n, n + 1, n + 50} {
		ev, err := w.History(limit)
		if err != nil {
			t.Fatal(err)
		}
		want := min(limit, n+1)
		if len(ev) != want {
			t.Fatalf("History(%d) gave %d events, want %d", limit, len(ev), want)
		}
		if ev[len(ev)-1].Details["i"] != float64(n-1) {
			t.Errorf("History(%d) does not end with the newest event", limit)
		}
		for j := 1; j < len(ev); j++ {
			if ev[j].Time.Before(ev[j-1].Time) {
				t.Errorf("History(%d) not oldest first at %d", limit, j)
			}
		}
	}
}

func TestLogConcurrent(t *testing.T) {
	dir := t.TempDir()
	w, err := Init(dir, "p")
	if err != nil {
		t.Fatal(err)
	}
	w2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := []*Workspace{w, w2}[g%2]
			for i := range 50 {
				if err := h.Log("g", map[string]any{"id": fmt.Sprint(g, "-", i), "pad": strings.Repeat("p", 3000)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	ev, err := w.History(0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[any]bool{}
	for _, e := range ev[1:] {
		seen[e.Details["id"]] = true
	}
	if len(ev) != 401 || len(seen) != 400 {
		t.Errorf("%d events, %d distinct; want 401 and 400", len(ev), len(seen))
	}
}
