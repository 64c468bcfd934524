package workspace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
)

// State is the UI state restored when the workspace is reopened: the
// selected dataset and screen, and a small string map per screen (sort
// column, scroll position, selected run...). It is not project data: a
// corrupt state.json is reset, not reported as an error.
type State struct {
	Dataset string                       `json:"dataset"`
	Screen  string                       `json:"screen"`
	Screens map[string]map[string]string `json:"screens,omitempty"`
}

// Get returns the value of key for screen, or "".
func (s State) Get(screen, key string) string { return s.Screens[screen][key] }

// Set stores value under key for screen, creating maps as needed; an empty
// value deletes the key.
func (s *State) Set(screen, key, value string) {
	if value == "" {
		delete(s.Screens[screen], key)
		if len(s.Screens[screen]) == 0 {
			delete(s.Screens, screen)
		}
		return
	}
	if s.Screens == nil {
		s.Screens = map[string]map[string]string{}
	}
	if s.Screens[screen] == nil {
		s.Screens[screen] = map[string]string{}
	}
	s.Screens[screen][key] = value
}

func (s State) clone() State {
	if s.Screens != nil {
		m := make(map[string]map[string]string, len(s.Screens))
		for k, v := range s.Screens {
			m[k] = maps.Clone(v)
		}
		s.Screens = m
	}
	return s
}

// State returns a copy of the UI state as last loaded or saved.
func (w *Workspace) State() State {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state.clone()
}

// SaveState replaces state.json with s. It takes no lock: the file is
// replaced atomically and the last writer wins, which is right for UI state.
func (w *Workspace) SaveState(s State) error {
	s = s.clone()
	if err := w.writeState(s); err != nil {
		return err
	}
	w.mu.Lock()
	w.state = s
	w.mu.Unlock()
	return nil
}

func (w *Workspace) writeState(s State) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("workspace: state: %w", err)
	}
	return WriteFileAtomic(w.Path(StateFile), append(b, '\n'), 0o644)
}

// readState reads state.json. A missing file gives the zero State; a corrupt
// one is renamed to state.json.corrupt (kept for inspection) and gives the
// zero State and a warning.
func (w *Workspace) readState() (State, []string) {
	path := w.Path(StateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil
	}
	var s State
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		err = dec.Decode(&s)
	}
	if err == nil {
		return s, nil
	}
	msg := fmt.Sprintf("%s is unreadable (%v); the UI state was reset", path, err)
	if rerr := os.Rename(path, path+".corrupt"); rerr == nil {
		msg += fmt.Sprintf(" and the old file kept as %s.corrupt", StateFile)
	}
	return State{}, []string{msg}
}
