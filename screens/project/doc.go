// Package project is the Project screen (screen 1): the project card, the
// workspace's datasets and its recent history, in three panes.
//
// # Panes
//
// The card pane shows every field of workspace.Card. Pressing e (or enter on
// the card pane) opens a form with one text input per field; list fields are
// edited as comma-separated text and choice fields (task, metric, PII policy)
// cycle with ←/→. ctrl+s, or enter on the last field, validates the card with
// Card.Validate and saves it with Workspace.SaveCard; a validation error is
// shown beside the field it names and the form stays open. SaveCard records
// the change in the workspace history; the screen then returns
// ui.WorkspaceChangedMsg so every screen refreshes.
//
// The datasets pane lists the latest version of every workspace dataset. The
// dataset open in the app is marked. enter opens the dataset under the cursor
// (ui.DatasetSelectedMsg, then ui.SwitchScreenMsg to the Data screen); i
// opens an import prompt whose path input completes file names with tab; the
// import runs as a ui job (dataio.Load, then Workspace.ImportFrame) that esc
// cancels; d deletes a dataset after a y/n question.
//
// The history pane shows the newest events of Workspace.History.
//
// # Layout
//
// From 100 columns on, the card fills the left column and the datasets and
// history share the right one. Narrower, the panes stack: a compact card,
// the datasets, and the history collapsed to its newest line until it has
// the focus. Forms and prompts take the whole screen.
//
// Without a workspace (a single file opened) the screen says that nothing is
// saved and shows the file's name, shape and columns instead.
//
// # I/O
//
// Every workspace read and write happens in a tea.Cmd; View reads no clock
// and no file: ages are computed against the time of the last refresh, which
// a one-minute tick renews.
package project
