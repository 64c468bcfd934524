package workspace

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// LockMode says what Lock does when another process or handle holds the lock.
type LockMode int

const (
	// LockFail returns a *LockedError at once.
	LockFail LockMode = iota
	// LockWait polls until the lock is free or ctx is done; then it returns a
	// *LockedError that also wraps ctx.Err().
	LockWait
)

// String returns "fail" or "wait".
func (m LockMode) String() string {
	switch m {
	case LockFail:
		return "fail"
	case LockWait:
		return "wait"
	}
	return fmt.Sprintf("LockMode(%d)", int(m))
}

// lockPoll is how often LockWait retries.
const lockPoll = 25 * time.Millisecond

// ErrLocked is matched (errors.Is) by every *LockedError.
var ErrLocked = errors.New("workspace: locked")

// LockedError reports that another process (or another handle in this
// process) holds the workspace's write lock. PID, Host and Since describe the
// holder as it recorded itself in .mlwb/lock; PID is 0 when that record could
// not be read (the holder had not written it yet).
type LockedError struct {
	Dir   string
	PID   int
	Host  string
	Since time.Time
	// Err is ctx.Err() when a LockWait gave up, else nil.
	Err error
}

func (e *LockedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "workspace %s is locked", e.Dir)
	if e.PID != 0 {
		fmt.Fprintf(&b, " by pid %d", e.PID)
		if h, _ := os.Hostname(); e.Host != "" && e.Host != h {
			fmt.Fprintf(&b, " on %s", e.Host)
		}
		if !e.Since.IsZero() {
			fmt.Fprintf(&b, " since %s", e.Since.Local().Format("2006-01-02 15:04:05"))
		}
	} else {
		b.WriteString(" by another process")
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " (gave up waiting: %v)", e.Err)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Unwrap returns the context error of a LockWait that gave up.
func (e *LockedError) Unwrap() error { return e.Err }

// Lock is a held write lock; release it with Unlock.
type Lock struct {
	w *Workspace
	f *os.File
}

// Lock takes the workspace's exclusive write lock for a transaction that
// spans several operations, e.g. to read the datasets, decide, and import.
// While it is held, the write methods called on w use it instead of taking the
// lock themselves; other handles and processes wait for it or fail according
// to their mode. It fails with a *LockedError, also when w already holds a
// lock taken by Lock (locks do not nest).
func (w *Workspace) Lock(ctx context.Context, mode LockMode) (*Lock, error) {
	w.lockMu.Lock()
	defer w.lockMu.Unlock()
	if w.held != nil {
		return nil, &LockedError{Dir: w.dir, PID: os.Getpid(), Since: w.heldSince}
	}
	f, err := acquire(ctx, w.dir, w.Path(metaDir, lockFile), mode)
	if err != nil {
		return nil, err
	}
	l := &Lock{w: w, f: f}
	w.held, w.heldSince = l, time.Now()
	return l, nil
}

// Unlock releases the lock. Calling it again does nothing.
func (l *Lock) Unlock() error {
	l.w.lockMu.Lock()
	defer l.w.lockMu.Unlock()
	if l.f == nil {
		return nil
	}
	err := release(l.f)
	l.f = nil
	if l.w.held == l {
		l.w.held = nil
	}
	return err
}

// withWriteLock runs fn holding the write lock: the one taken by w.Lock if
// there is one, else a fresh lock that waits until ctx (bounded by the
// handle's LockTimeout) is done. opMu serialises the write methods of one
// handle so that they also work under a held Lock.
func (w *Workspace) withWriteLock(ctx context.Context, fn func() error) error {
	w.opMu.Lock()
	defer w.opMu.Unlock()
	w.lockMu.Lock()
	held := w.held != nil
	w.lockMu.Unlock()
	if held {
		return fn()
	}
	if w.opt.LockTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.opt.LockTimeout)
		defer cancel()
	}
	f, err := acquire(ctx, w.dir, w.Path(metaDir, lockFile), LockWait)
	if err != nil {
		return err
	}
	ferr := fn()
	if rerr := release(f); ferr == nil {
		ferr = rerr
	}
	return ferr
}

// acquire opens path (a new open file description, so flock conflicts with
// every other opener, in this process or another) and takes an exclusive
// flock on it. On success it records who holds the lock in the file.
func acquire(ctx context.Context, dir, path string, mode LockMode) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("workspace: lock: %w", err)
	}
	for {
		err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("workspace: lock %s: %w", path, err)
		}
		if mode == LockFail {
			f.Close()
			return nil, lockedError(dir, path, nil)
		}
		if err := ctx.Err(); err != nil {
			f.Close()
			return nil, lockedError(dir, path, err)
		}
		t := time.NewTimer(lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, lockedError(dir, path, ctx.Err())
		case <-t.C:
		}
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid %d\nhost %s\nsince %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339Nano))
	// The record is informational: a failure to write it must not fail the lock.
	if f.Truncate(0) == nil {
		f.WriteAt([]byte(info), 0)
	}
	return f, nil
}

// release clears the holder record, unlocks and closes f. The lock file is
// never removed: removing it would let two processes lock different inodes.
func release(f *os.File) error {
	f.Truncate(0)
	err := flock(f, syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("workspace: unlock: %w", err)
	}
	return nil
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// lockedError reads the holder's record. The holder writes it right after
// taking the lock, so a reader may find it empty; it retries briefly.
func lockedError(dir, path string, ctxErr error) *LockedError {
	e := &LockedError{Dir: dir, Err: ctxErr}
	for range 4 {
		b, err := os.ReadFile(path)
		if err == nil && parseHolder(b, e) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return e
}

func parseHolder(b []byte, e *LockedError) bool {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		switch k {
		case "pid":
			e.PID, _ = strconv.Atoi(v)
		case "host":
			e.Host = v
		case "since":
			e.Since, _ = time.Parse(time.RFC3339Nano, v)
		}
	}
	return e.PID != 0
}
