package ui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
)

// ErrorMsg asks the root to show Err in its error view until esc.
// A nil Err or a cancellation (context.Canceled) is ignored.
type ErrorMsg struct{ Err error }

// StatusMsg sets the transient text of the status line.
type StatusMsg struct{ Text string }

// ProgressMsg reports the progress of job JobID: Done of Total units
// (Total <= 0 when unknown). The root produces it from a job's progress
// callback; screens need not handle it.
type ProgressMsg struct {
	JobID       int
	Label       string
	Done, Total int64
}

// DatasetSelectedMsg asks the root to open the named dataset (a workspace
// dataset name, or a file path when no workspace is open). The root loads it
// as a job and broadcasts DatasetLoadedMsg. It does not switch screens: send
// SwitchScreenMsg as well to show it.
type DatasetSelectedMsg struct{ Name string }

// DatasetLoadedMsg is broadcast to every screen when a dataset has been
// loaded (Err == nil) or failed to load. Only the latest load is broadcast.
// JobID 0 marks a frame handed over directly rather than loaded by a job (as
// in tests); it is never dropped as stale.
type DatasetLoadedMsg struct {
	JobID int
	Name  string
	Frame *frame.Frame
	Err   error
}

// WorkspaceChangedMsg is broadcast when the project card or the dataset list
// changed; screens showing them refresh.
type WorkspaceChangedMsg struct{}

// SaveScreenStateMsg asks the root to store Values (key → value; "" deletes)
// under Screen in the workspace state (State.Screens), to be read back with
// Common.Workspace.State().Get(screen, key) when the workspace is reopened.
// The root orders the writes, so screens never call SaveState themselves.
// It is ignored without a workspace.
type SaveScreenStateMsg struct {
	Screen string
	Values map[string]string
}

// SwitchScreenMsg asks the root to focus screen Index (0-based).
type SwitchScreenMsg struct{ Index int }

// JobStartedMsg is returned by the command of StartJob; the root records the
// job and starts waiting for it. Screens need not handle it.
type JobStartedMsg struct {
	JobID int
	Label string
	job   *runningJob
}

// Wait blocks until the job reports progress (ProgressMsg) or ends
// (JobDoneMsg). The root calls it through a command; tests may call it
// directly.
func (m JobStartedMsg) Wait() tea.Msg {
	if m.job == nil {
		return JobDoneMsg{JobID: m.JobID}
	}
	return m.job.wait()
}

// JobDoneMsg is produced when a job's function returns; the root removes the
// job from the status line and then delivers Result to every screen.
type JobDoneMsg struct {
	JobID  int
	Result tea.Msg
}

// IsCanceled reports whether err is (or wraps) a context cancellation, which
// screens report quietly rather than as an error.
func IsCanceled(err error) bool {
	return errors.Is(err, context.Canceled)
}
