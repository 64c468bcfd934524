package workspace

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWriteAtomicFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	if err := WriteFileAtomic(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteAtomic(p, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("new"), 1<<20))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	func() {
		defer func() { recover() }()
		WriteAtomic(p, func(w io.Writer) error {
			w.Write([]byte("partial"))
			panic("writer panicked")
		})
	}()
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("content %q after failed writes, want old", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("failed writes left files: %v", ents)
	}
	if err := WriteFileAtomic(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the existing 0600 kept", fi.Mode().Perm())
	}
}

// TestAtomicWriteSurvivesKill kills a process that replaces a 1 MiB file in a
// loop at random moments: the file must always hold one whole generation.
func TestAtomicWriteSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	target := filepath.Join(t.TempDir(), "big.bin")
	gens := map[int]bool{}
	for round := range 12 {
		cmd, _, _ := startHelper(t, "atomic", target)
		time.Sleep(time.Duration(rand.IntN(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		b, err := os.ReadFile(target)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var gen int
		if _, err := parseGeneration(b, &gen); err != nil || !bytes.Equal(b, generation(gen)) {
			t.Fatalf("round %d: file is not one whole generation (%d bytes, header %q)", round, len(b), b[:min(len(b), 12)])
		}
		gens[gen] = true
	}
	t.Logf("generations seen: %d", len(gens))
}

// TestWorkspaceSurvivesKill kills a process that imports datasets and saves
// card, state and history in a loop; every time the workspace must open with
// all its datasets loadable.
func TestWorkspaceSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	w := initWith(t)
	ctx := context.Background()
	for round := range 8 {
		cmd, _, _ := startHelper(t, "churn", w.Dir())
		time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		w2, err := OpenWith(w.Dir(), Options{Codec: testCodec})
		if err != nil {
			t.Fatalf("round %d: open after kill: %v", round, err)
		}
		for _, m := range w2.Warnings() {
			t.Errorf("round %d: warning %s", round, m)
		}
		ds, err := w2.Datasets()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			vs, _ := w2.Versions(d.Name)
			for i, v := range vs {
				if v.Version != i+1 {
					t.Errorf("round %d: %s versions not 1..n", round, d.Name)
				}
				if _, err := w2.Load(ctx, v); err != nil {
					t.Errorf("round %d: %v", round, err)
				}
			}
		}
		if _, err := w2.History(0); err != nil {
			t.Fatal(err)
		}
		if s := w2.State(); s.Dataset != "" && !strings.HasPrefix(s.Dataset, "d") {
			t.Errorf("state %+v", s)
		}
	}
	// The child's writes really happened (the test is not vacuous).
	ev, _ := w.History(0)
	if len(ev) < 10 {
		t.Errorf("only %d history events: the helper barely ran", len(ev))
	}
}

func parseGeneration(b []byte, gen *int) (int, error) {
	if len(b) < 13 || string(b[:4]) != "gen " {
		return 0, errors.New("no header")
	}
	n := 0
	for _, c := range b[4:12] {
		if c < '0' || c > '9' {
			return 0, errors.New("bad header")
		}
		n = n*10 + int(c-'0')
	}
	*gen = n
	return 1, nil
}
