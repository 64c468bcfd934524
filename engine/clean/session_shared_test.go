package clean

import (
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
