// Package ui is the shell of the mlwb terminal UI: the contract between the
// root model and the screens, the root model itself, and small widgets shared
// by screens (ui/table).
//
// # Contract
//
// Every screen lives in its own package under screens/, is constructed with
// a Common (context, styles, global keys, workspace handle, renderer, job
// ids) and satisfies Screen. The root model (App):
//
//   - sizes every screen with SetSize(w, h), where (w, h) is the content box
//     between the header and the footer; screens never see tea.WindowSizeMsg;
//   - sends key messages only to the focused screen; while that screen's
//     Capturing reports true (a text input has focus) the global
//     single-letter keys (q, ?, 1-9) and tab are sent to the screen too, and
//     only ctrl+c stays global; a screen implementing Panes receives tab and
//     shift+tab while HasPanes reports true;
//   - sends mouse messages to the focused screen with Y relative to the top
//     of the content box;
//   - broadcasts every other message (results of jobs, DatasetLoadedMsg,
//     WorkspaceChangedMsg, ...) to all screens, so result types should be
//     unexported types of the screen that asked for them;
//   - owns the one error view (ErrorMsg), the status line (StatusMsg), the job
//     spinner/progress bar (StartJob) and dataset loading (DatasetSelectedMsg
//     → DatasetLoadedMsg).
//
// # Background work
//
// Long work is started with Common.StartJob, which returns a Job (its id and a
// cancel function) and a tea.Cmd. The job's function runs off the UI
// goroutine with a cancellable context, may report progress, and returns the
// message that carries its result; the root shows a spinner (and a progress
// bar when the total is known) while it runs, cancels it on esc or ctrl+c,
// and then delivers the result message to every screen. A screen keeps the id
// of its latest job and drops results whose id is older.
//
// The program itself is built by package ui/app, which imports ui and the
// screens (ui cannot import screens without a cycle).
package ui
