package clean

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"testing"
)

// Two sessions on one dataset (the TUI and "mlwb clean", or two TUIs): the
// one that did not apply the last step used to call the dataset "changed
// outside its recipe", and its Rebase replaced the recipe file with its
// stale copy, dropping the other session's step. It now picks up the
// recipe file and carries on from it.
func TestSessionsShareTheRecipe(t *testing.T) {
	ws := newWorkspace(t, testFrame())
	a, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Apply(ctx, Step{Op: "trim", Columns: []string{"city"}}); err != nil {
		t.Fatal(err)
	}
	ok, _, err := b.Attached()
	if err != nil || !ok {
		t.Fatalf("b after a's step: attached %v, %v; want attached", ok, err)
	}
	if r := b.Recipe(); r.Applied() != 1 {
		t.Fatalf("b's recipe has %d steps, want a's 1", r.Applied())
	}
	d, _, err := b.Apply(ctx, Step{Op: "case", Columns: []string{"city"}})
	if err != nil || d.Version != 3 {
		t.Fatalf("b's step: %+v, %v", d, err)
	}
	r, err := ReadRecipe(RecipePath(ws, "people"))
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, s := range r.Steps {
		ops = append(ops, s.Op)
	}
	if !slices.Equal(ops, []string{"trim", "case"}) {
		t.Errorf("recipe file steps %v, want [trim case]", ops)
	}
	// a undoes b's step: both steps are known to it now.
	u, err := a.Undo(ctx)
	if err != nil || u.Rows != 6 {
		t.Fatalf("a undo: %+v, %v", u, err)
	}
	if r := a.Recipe(); r.Applied() != 1 || r.Undone != 1 {
		t.Errorf("a after undo: applied %d undone %d, want 1 and 1", r.Applied(), r.Undone)
	}
}

// A recipe file rewritten between a session's check and its save (another
// process applying a step at the same instant) is not overwritten: the
// save is refused with ErrRecipeChanged and the other recipe survives.
func TestSessionRefusesToOverwriteAChangedRecipe(t *testing.T) {
	ws := newWorkspace(t, testFrame())
	a, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Apply(ctx, Step{Op: "trim", Columns: []string{"city"}}); err != nil {
		t.Fatal(err)
	}
	p := RecipePath(ws, "people")
	other, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Same recipe, other bytes: what a concurrent writer would leave.
	other = append(other, '\n')
	if err := os.WriteFile(p, other, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = a.Apply(ctx, Step{Op: "case", Columns: []string{"city"}})
	if !errors.Is(err, ErrRecipeChanged) {
		t.Fatalf("apply after a concurrent rewrite: %v, want ErrRecipeChanged", err)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, other) {
		t.Errorf("the other writer's recipe file was replaced")
	}
	if d, err := ws.Dataset("people"); err != nil || d.Version != 2 {
		t.Errorf("latest version %+v, %v; want version 2 (no orphan version written)", d, err)
	}
	// Reopening carries on from the file.
	b, err := OpenSession(ctx, ws, "people")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := b.Attached(); !ok || err != nil {
		t.Errorf("reopened session attached %v, %v; want attached", ok, err)
	}
	if r := b.Recipe(); r.Applied() != 1 {
		t.Errorf("reopened recipe has %d steps, want 1", r.Applied())
	}
}
