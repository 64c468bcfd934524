package ui

import (
	"context"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"
)

// JobFunc is background work started with Common.StartJob. id is the job's
// id, to be put in the result message so that stale results can be told
// apart. It runs on its own
// goroutine, must return soon after ctx is cancelled, may call progress from
// any goroutine at any rate (only the latest report is shown), and returns
// the message that carries its result. It must not read or write any model:
// copy what it needs before building the closure.
type JobFunc func(ctx context.Context, id int, progress func(done, total int64)) tea.Msg

// JobIDs hands out job ids unique within one program. The zero value is
// ready to use; share one pointer through Common.
type JobIDs struct{ n atomic.Int64 }

// Next returns a new id, starting at 1.
func (j *JobIDs) Next() int { return int(j.n.Add(1)) }

// Job identifies a started job.
type Job struct {
	ID     int
	cancel context.CancelFunc
}

// Cancel cancels the job's context. It is safe on the zero Job and may be
// called more than once.
func (j Job) Cancel() {
	if j.cancel != nil {
		j.cancel()
	}
}

// Running reports whether j was started (it may have finished since).
func (j Job) Running() bool { return j.ID != 0 }

type progressReport struct{ done, total int64 }

// runningJob is the root's record of a job: how to cancel it and how to wait
// for its next report.
type runningJob struct {
	id     int
	label  string
	cancel context.CancelFunc
	prog   chan progressReport
	done   chan tea.Msg
	last   progressReport
}

// wait blocks until the job reports progress or finishes. A finished result
// wins over pending progress.
func (r *runningJob) wait() tea.Msg {
	select {
	case m := <-r.done:
		return JobDoneMsg{JobID: r.id, Result: m}
	case p := <-r.prog:
		select {
		case m := <-r.done:
			return JobDoneMsg{JobID: r.id, Result: m}
		default:
		}
		return ProgressMsg{JobID: r.id, Label: r.label, Done: p.done, Total: p.total}
	}
}

// StartJob prepares fn as a background job labelled label (shown in the
// status line). It returns the Job at once, so the caller can record its id,
// and the command that starts it: return that command from Update.
func (c Common) StartJob(label string, fn JobFunc) (Job, tea.Cmd) {
	ids := c.Jobs
	if ids == nil {
		ids = &JobIDs{}
	}
	parent := c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	id := ids.Next()
	ctx, cancel := context.WithCancel(parent)
	r := &runningJob{
		id: id, label: label, cancel: cancel,
		prog: make(chan progressReport, 1),
		done: make(chan tea.Msg, 1),
	}
	report := func(done, total int64) {
		p := progressReport{done, total}
		for {
			select {
			case r.prog <- p:
				return
			default:
				select { // drop the stale report and retry
				case <-r.prog:
				default:
				}
			}
		}
	}
	cmd := func() tea.Msg {
		go func() { r.done <- fn(ctx, id, report) }()
		return JobStartedMsg{JobID: id, Label: label, job: r}
	}
	return Job{ID: id, cancel: cancel}, cmd
}
