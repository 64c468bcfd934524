// Package clean is the Clean screen: it cleans the open workspace dataset
// through its recipe (engine/clean), and merges it with another dataset
// (engine/merge).
//
// The left pane is the recipe: one entry per step (op, columns, params and
// the effect recorded when it was applied), the undone steps greyed below a
// rule. The right pane lists the columns of the current version with their
// type and missing count. a (or enter) on a column opens the menu of the
// actions that fit it — impute only where values are missing, merging
// variant spellings on text columns with the groups clean.Suggest finds
// pre-filled, clip and winsorise on numbers — and each action opens a form
// whose live preview ("312 cells change, 12 rows dropped", or the error)
// is computed by Step.Apply on the current version in a background job,
// after a pause in typing. enter applies the step with Session.Apply: a
// new version of the dataset, which the root reloads (DatasetSelectedMsg).
// u undoes and ctrl+r redoes (each a new version, earlier versions stay);
// in the recipe pane e edits a step's params, x deletes a step and K/J move
// it, all replayed from the recipe's base version by Session.SetSteps (a
// step that no longer applies is named and nothing is written). S lists
// clean.Suggest's suggestions with their reasons; m merges with another
// dataset, showing merge.Plan's counts before merge.Join makes a new
// dataset. When the dataset gained a version its recipe did not make, a
// banner offers R (Session.Rebase) and N (Session.Reset).
//
// Every session and workspace call runs as a ui job, one at a time: the
// model keeps copies of the recipe and version state that the jobs return,
// and never blocks. Without a workspace the screen only explains that
// cleaning needs one.
package clean
