package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"slices"
	"time"
)

// Event is one line of history.jsonl. Details hold what the action needs to
// be understood later (dataset name and hash, changed card fields...); after
// a round trip through JSON, numbers in Details are float64.
type Event struct {
	Time    time.Time      `json:"time"`
	PID     int            `json:"pid"`
	User    string         `json:"user"`
	Action  string         `json:"action"`
	Details map[string]any `json:"details,omitempty"`
}

// Log appends an event to history.jsonl. Each event is one JSON line written
// with a single write on a file opened with O_APPEND, then fsynced, so
// concurrent writers on a local file system never interleave and a crash
// leaves at worst a torn last line, which History skips and the next Log
// terminates. Log takes no lock.
func (w *Workspace) Log(action string, details map[string]any) error {
	if action == "" {
		return errors.New("workspace: log: empty action")
	}
	e := Event{Time: time.Now(), PID: os.Getpid(), User: currentUser(), Action: action, Details: details}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("workspace: log %s: %w", action, err)
	}
	line = append(line, '\n')
	path := w.Path(HistoryFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("workspace: log: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			// A writer died mid-line: end that line so ours stays whole.
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("workspace: log: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("workspace: log: %w", err)
	}
	return f.Close()
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return fmt.Sprintf("uid %d", os.Getuid())
}

// historyChunk is how much History reads from the end of the file at a time.
const historyChunk = 64 << 10

// History returns the last limit events (all when limit <= 0), oldest first,
// newest last. It reads the file from its end, so it is cheap on long
// histories. Lines that are not complete JSON events — a torn last line from
// a killed writer, or one that was ended by a later Log — are skipped.
func (w *Workspace) History(limit int) ([]Event, error) {
	f, err := os.Open(w.Path(HistoryFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("workspace: history: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("workspace: history: %w", err)
	}
	pos := fi.Size()
	torn := false
	if pos > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, pos-1); err != nil {
			return nil, fmt.Errorf("workspace: history: %w", err)
		}
		torn = last[0] != '\n'
	}
	var rev []Event // newest first
	var carry []byte
	for pos > 0 && (limit <= 0 || len(rev) < limit) {
		n := min(int64(historyChunk), pos)
		pos -= n
		buf := make([]byte, int(n), int(n)+len(carry))
		if _, err := f.ReadAt(buf, pos); err != nil {
			return nil, fmt.Errorf("workspace: history: %w", err)
		}
		buf = append(buf, carry...)
		lines := bytes.Split(buf, []byte{'\n'})
		carry = nil
		if pos > 0 {
			// The first piece may continue in the previous chunk.
			carry, lines = lines[0], lines[1:]
		}
		if torn && len(lines) > 0 {
			lines, torn = lines[:len(lines)-1], false
		}
		for i := len(lines) - 1; i >= 0; i-- {
			if len(lines[i]) == 0 {
				continue
			}
			var e Event
			if json.Unmarshal(lines[i], &e) == nil && e.Action != "" {
				rev = append(rev, e)
			}
		}
	}
	if limit > 0 && len(rev) > limit {
		rev = rev[:limit]
	}
	slices.Reverse(rev)
	return rev, nil
}
