package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestLockTwoProcesses(t *testing.T) {
	w := initWith(t)
	cmd, stdin, _ := startHelper(t, "lock", w.Dir())
	child := cmd.Process.Pid

	start := time.Now()
	_, err := w.Lock(context.Background(), LockFail)
	var le *LockedError
	if !errors.As(err, &le) || le.PID != child || !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock while child holds it = %v, want *LockedError with pid %d", err, child)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("LockFail took %v", time.Since(start))
	}
	if le.Since.IsZero() || time.Since(le.Since) > time.Minute {
		t.Errorf("holder since %v", le.Since)
	}
	want := fmt.Sprintf("workspace %s is locked by pid %d since ", w.Dir(), child)
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want prefix %q", err, want)
	}

	// LockWait gives up at the deadline, saying why.
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if _, err := w.Lock(ctx, LockWait); !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &le) || le.PID != child {
		t.Errorf("LockWait past deadline = %v", err)
	}

	// Write methods wait at most LockTimeout, then report the holder.
	short, err := OpenWith(w.Dir(), Options{Codec: testCodec, LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := short.Card()
	c.Description = "blocked"
	if err := short.SaveCard(c); !errors.As(err, &le) || le.PID != child {
		t.Errorf("SaveCard while locked = %v", err)
	}
	if _, err := short.ImportFrame(context.Background(), "a", "", testFrame(3)); !errors.As(err, &le) {
		t.Errorf("ImportFrame while locked = %v", err)
	}
	if ents, _ := os.ReadDir(short.DataDir()); len(ents) != 1 {
		t.Errorf("failed import left files in data/: %v", ents)
	}
	// Readers are not blocked.
	if _, err := short.Datasets(); err != nil {
		t.Errorf("Datasets while locked: %v", err)
	}

	// A waiter gets the lock as soon as the child releases it.
	go func() {
		time.Sleep(100 * time.Millisecond)
		stdin.Close()
	}()
	ctx2, cancel2 := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel2()
	l, err := w.Lock(ctx2, LockWait)
	if err != nil {
		t.Fatalf("LockWait after release: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("helper: %v", err)
	}
	if err := l.Unlock(); err != nil {
		t.Error(err)
	}
}

func TestLockReleasedWhenHolderDies(t *testing.T) {
	w := initWith(t)
	cmd, _, _ := startHelper(t, "lock", w.Dir())
	if _, err := w.Lock(context.Background(), LockFail); !errors.Is(err, ErrLocked) {
		t.Fatalf("want locked, got %v", err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	l, err := w.Lock(context.Background(), LockFail)
	if err != nil {
		t.Fatalf("lock after holder was killed: %v", err)
	}
	l.Unlock()
}

func TestLockHandlesInOneProcess(t *testing.T) {
	w := initWith(t)
	w2, err := OpenWith(w.Dir(), Options{Codec: testCodec, LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	l, err := w.Lock(ctx, LockFail)
	if err != nil {
		t.Fatal(err)
	}
	var le *LockedError
	if _, err := w2.Lock(ctx, LockFail); !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Errorf("second handle: %v, want *LockedError with our pid", err)
	}
	if _, err := w.Lock(ctx, LockFail); !errors.Is(err, ErrLocked) {
		t.Errorf("nested Lock on one handle: %v, want ErrLocked", err)
	}
	// The holder's own writes run inside its lock.
	if _, err := w.ImportFrame(ctx, "a", "", testFrame(3)); err != nil {
		t.Errorf("import under own lock: %v", err)
	}
	c := w.Card()
	c.Target = "y"
	if err := w.SaveCard(c); err != nil {
		t.Errorf("SaveCard under own lock: %v", err)
	}
	if _, err := w2.ImportFrame(ctx, "b", "", testFrame(4)); !errors.Is(err, ErrLocked) {
		t.Errorf("other handle's import: %v, want ErrLocked", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(); err != nil {
		t.Errorf("second Unlock: %v", err)
	}
	if _, err := w2.ImportFrame(ctx, "b", "", testFrame(4)); err != nil {
		t.Errorf("import after unlock: %v", err)
	}
}

// Concurrent imports from several handles (separate lock descriptors) must
// all be recorded, with versions 1..n and no lost manifest updates.
func TestConcurrentImports(t *testing.T) {
	w := initWith(t)
	const handles, each = 4, 6
	var wg sync.WaitGroup
	for h := range handles {
		hw, err := OpenWith(w.Dir(), Options{Codec: testCodec})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := hw.ImportFrame(context.Background(), "shared", "", testFrame(1+h*each+i)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	vs, err := w.Versions("shared")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != handles*each {
		t.Fatalf("%d versions, want %d", len(vs), handles*each)
	}
	hashes := map[string]bool{}
	for i, v := range vs {
		if v.Version != i+1 || (i > 0 && v.Parent != vs[i-1].Hash) {
			t.Errorf("version %d: %s parent %.8s", i+1, v.Ref(), v.Parent)
		}
		hashes[v.Hash] = true
	}
	if len(hashes) != handles*each {
		t.Errorf("%d distinct snapshots, want %d", len(hashes), handles*each)
	}
}

func TestLockModeString(t *testing.T) {
	if LockFail.String() != "fail" || LockWait.String() != "wait" || LockMode(7).String() != "LockMode(7)" {
		t.Error("LockMode.String")
	}
}
