package tune

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// LockFile is the name of a study's lock file inside its folder.
const LockFile = "lock"

// ErrInUse is matched (errors.Is) by every *InUseError.
var ErrInUse = errors.New("tune: study in use")

// InUseError reports that another process (or another open Study in this
// process) holds the study. PID and Since come from the holder's record in
// the lock file; PID is 0 when it could not be read.
type InUseError struct {
	Study string
	PID   int
	Since time.Time
}

func (e *InUseError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("tune: study %q is in use by another process", e.Study)
	}
	return fmt.Sprintf("tune: study %q is in use by pid %d since %s", e.Study, e.PID, e.Since.Local().Format("2006-01-02 15:04:05"))
}

// Is makes errors.Is(err, ErrInUse) true.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// lockStudy takes an exclusive, non-blocking flock on dir/lock (a new open
// file description, so it also conflicts with another Open in this process)
// and records the holder's pid and start time in it. The lock dies with the
// process, so a crashed holder never leaves a stale lock.
func lockStudy(dir string) (*os.File, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("tune: lock: %w", err)
	}
	if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("tune: lock %s: %w", path, err)
		}
		e := &InUseError{Study: filepath.Base(dir)}
		// The holder writes its record right after locking: retry briefly.
		for range 5 {
			if b, err := os.ReadFile(path); err == nil && parseHolder(b, e) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		return nil, e
	}
	rec := fmt.Sprintf("pid %d\nsince %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339Nano))
	if f.Truncate(0) == nil { // informational: a failed write must not fail the lock
		f.WriteAt([]byte(rec), 0)
	}
	return f, nil
}

// unlockStudy clears the record, unlocks and closes f. The file stays, so
// that two processes never lock different inodes.
func unlockStudy(f *os.File) error {
	f.Truncate(0)
	err := flock(f, syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("tune: unlock: %w", err)
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

func parseHolder(b []byte, e *InUseError) bool {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		switch k {
		case "pid":
			e.PID, _ = strconv.Atoi(v)
		case "since":
			e.Since, _ = time.Parse(time.RFC3339Nano, v)
		}
	}
	return e.PID != 0
}
