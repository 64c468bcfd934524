package clean

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"
)

// RecipeDir is the folder, inside the workspace's data folder, that holds
// one recipe file per dataset: data/recipes/<dataset>.json.
const RecipeDir = "recipes"

// ErrDetached is matched by the error of a Session whose dataset gained a
// version that its recipe did not make (a re-import, another session).
var ErrDetached = errors.New("clean: dataset changed outside its recipe")

// RecipePath returns the path of the named dataset's recipe file.
func RecipePath(ws *workspace.Workspace, dataset string) string {
	return ws.Path(workspace.DataDir, RecipeDir, dataset+".json")
}

// Session edits one workspace dataset through its recipe: every Apply,
// Undo, Redo or edit makes a new version of the dataset (earlier versions
// and the original import are never modified) and saves the recipe, with
// its undo cursor, to data/recipes/<dataset>.json. A Session is not safe
// for concurrent use; two sessions on one dataset notice each other's
// versions (Attached) rather than overwrite them.
type Session struct {
	ws     *workspace.Workspace
	name   string
	recipe *Recipe
	// disk is the recipe file's content as this session last read or
	// wrote it (nil: no file). save refuses to replace a file that differs.
	disk []byte
}

// ErrRecipeChanged is matched by the error of a Session whose recipe file
// was rewritten by another session since it read it.
var ErrRecipeChanged = errors.New("clean: recipe changed by another session")

// OpenSession returns the session of the named dataset, reading its recipe
// file, or starting an empty recipe based on the latest version when there
// is none. A corrupt recipe file is an error naming it.
func OpenSession(ctx context.Context, ws *workspace.Workspace, dataset string) (*Session, error) {
	d, err := ws.Dataset(dataset)
	if err != nil {
		return nil, err
	}
	s := &Session{ws: ws, name: dataset}
	r, b, err := readRecipeBytes(RecipePath(ws, dataset))
	switch {
	case err == nil:
		s.recipe, s.disk = r, b
	case errors.Is(err, fs.ErrNotExist):
		s.recipe = NewRecipe(dataset)
		s.recipe.Base, s.recipe.BaseVersion = d.Hash, d.Version
	default:
		return nil, err
	}
	return s, ctx.Err()
}

// readRecipeBytes is ReadRecipe also returning the file's bytes.
func readRecipeBytes(path string) (*Recipe, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("clean: %w", err)
	}
	r, err := ParseRecipe(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, b, nil
}

// Dataset returns the session's dataset name.
func (s *Session) Dataset() string { return s.name }

// Recipe returns a copy of the session's recipe.
func (s *Session) Recipe() *Recipe { return s.recipe.Clone() }

// stateHash returns the hash of the version holding the data after the
// first k steps, or "" when it was not stored.
func (s *Session) stateHash(k int) string {
	if k == 0 {
		return s.recipe.Base
	}
	if r := s.recipe.Steps[k-1].Result; r != nil {
		return r.Hash
	}
	return ""
}

// Attached reports whether the dataset's latest version is the one the
// recipe's cursor points at, so that Apply, Undo and Redo may proceed.
//
// When another session (mlwb clean, a second TUI) moved the recipe on, the
// recipe file is attached to the latest version while this session's copy
// is not: the session then takes the file's recipe instead of calling the
// dataset detached, so a Rebase cannot replace the other session's steps
// with a stale copy.
func (s *Session) Attached() (bool, workspace.Dataset, error) {
	d, err := s.ws.Dataset(s.name)
	if err != nil {
		return false, d, err
	}
	if d.Hash == s.stateHash(s.recipe.Applied()) {
		return true, d, nil
	}
	if r, b, err := readRecipeBytes(RecipePath(s.ws, s.name)); err == nil {
		disk := &Session{ws: s.ws, name: s.name, recipe: r}
		if d.Hash == disk.stateHash(r.Applied()) {
			s.recipe, s.disk = r, b
			return true, d, nil
		}
	}
	return false, d, nil
}

func (s *Session) attached() (workspace.Dataset, error) {
	ok, d, err := s.Attached()
	if err != nil {
		return d, err
	}
	if !ok {
		return d, fmt.Errorf("%w: %s is the latest version but the recipe of %q was recorded on other data; replay it (Rebase) or start a new recipe (Reset)", ErrDetached, d.Ref(), s.name)
	}
	return d, nil
}

// Frame loads the dataset's latest version.
func (s *Session) Frame(ctx context.Context) (*frame.Frame, error) {
	return s.ws.LoadDataset(ctx, s.name)
}

// Preview applies step to f (normally Frame's result) without saving: the
// effect is what Apply would report.
func (s *Session) Preview(ctx context.Context, f *frame.Frame, step Step) (*frame.Frame, Effect, error) {
	return s.recipe.prepared(step).Apply(ctx, f)
}

// Apply applies step to the latest version, stores the result as a new
// version (Parent = the latest version's hash) and records the step in the
// recipe, discarding undone steps. Nothing is written when the step fails.
func (s *Session) Apply(ctx context.Context, step Step) (workspace.Dataset, Effect, error) {
	d, effs, err := s.ApplyAll(ctx, []Step{step})
	if err != nil {
		return d, Effect{}, err
	}
	return d, effs[0], nil
}

// ApplyAll applies steps in order to the latest version and stores the
// result as one new version; the steps are recorded in the recipe after the
// steps in effect. Nothing is written when a step fails (the error names
// its number in the recipe).
func (s *Session) ApplyAll(ctx context.Context, steps []Step) (workspace.Dataset, []Effect, error) {
	cur, err := s.attached()
	if err != nil {
		return cur, nil, err
	}
	f, err := s.ws.Load(ctx, cur)
	if err != nil {
		return cur, nil, err
	}
	r := s.recipe.Clone()
	from := r.Applied()
	for _, st := range steps {
		st = st.clone()
		st.Result = nil
		r.Push(st)
	}
	g, effs, err := r.ApplyRange(ctx, f, from, r.Applied())
	if err != nil {
		return cur, nil, err
	}
	desc := make([]string, len(steps))
	for i, st := range steps {
		desc[i] = st.Describe()
	}
	d, err := s.store(ctx, g, cur, strings.Join(desc, "; "))
	if err != nil {
		return cur, nil, err
	}
	for i := range steps {
		r.Steps[from+i].Result = &Result{Effect: effs[i]}
	}
	last := r.Steps[r.Applied()-1].Result
	last.Version, last.Hash = d.Version, d.Hash
	return d, effs, s.save(r, "clean.apply", d, map[string]any{"steps": desc})
}

// store writes g as a new version of the dataset derived from parent.
func (s *Session) store(ctx context.Context, g *frame.Frame, parent workspace.Dataset, what string) (workspace.Dataset, error) {
	// Checked here too (save checks again under the lock) so that the
	// common case of a rewritten recipe writes no orphan version.
	p := RecipePath(s.ws, s.name)
	if b, err := os.ReadFile(p); (err == nil && !bytes.Equal(b, s.disk)) || (err != nil && s.disk != nil) {
		return workspace.Dataset{}, fmt.Errorf("%w: %s was rewritten since this session read it (another mlwb process?); reopen the dataset to continue", ErrRecipeChanged, p)
	}
	src := fmt.Sprintf("clean(%s: %s)", parent.Ref(), what)
	return s.ws.ImportFrameWith(ctx, s.name, src, g, workspace.ImportOptions{Parent: parent.Hash, Format: "clean"})
}

// save replaces the session's recipe with r, writes the recipe file
// atomically (keeping the previous one as .bak) and logs the action.
func (s *Session) save(r *Recipe, action string, d workspace.Dataset, details map[string]any) error {
	b, err := r.MarshalIndent()
	if err != nil {
		return err
	}
	p := RecipePath(s.ws, s.name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("clean: %w", err)
	}
	// Under the workspace lock, so two processes saving at the same instant
	// cannot both pass the check: the later one is refused, not lost.
	lk, err := s.ws.Lock(context.Background(), workspace.LockWait)
	if err != nil {
		return fmt.Errorf("clean: saving the recipe of %q: %w", s.name, err)
	}
	defer lk.Unlock()
	old, err := os.ReadFile(p)
	switch {
	case err == nil:
		if !bytes.Equal(old, s.disk) {
			return fmt.Errorf("%w: %s was rewritten since this session read it (another mlwb process?); version %s is kept, reopen the dataset to continue", ErrRecipeChanged, p, d.Ref())
		}
		if err := workspace.WriteFileAtomic(p+".bak", old, 0o644); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("clean: %w", err)
	case s.disk != nil:
		return fmt.Errorf("%w: %s was removed since this session read it; version %s is kept, reopen the dataset to continue", ErrRecipeChanged, p, d.Ref())
	}
	if err := workspace.WriteFileAtomic(p, b, 0o644); err != nil {
		return err
	}
	s.recipe, s.disk = r, b
	if details == nil {
		details = map[string]any{}
	}
	details["dataset"], details["version"], details["hash"] = s.name, d.Version, d.Hash
	details["applied"], details["steps_total"] = r.Applied(), len(r.Steps)
	return s.ws.Log(action, details)
}

// findVersion returns the dataset version with the given hash: a version
// of the session's dataset, or of any other (a recipe may start from
// another dataset's version, as "mlwb clean --name" does).
func (s *Session) findVersion(hash string) (workspace.Dataset, bool) {
	if hash == "" {
		return workspace.Dataset{}, false
	}
	if vs, err := s.ws.Versions(s.name); err == nil {
		for i := len(vs) - 1; i >= 0; i-- {
			if vs[i].Hash == hash {
				return vs[i], true
			}
		}
	}
	all, err := s.ws.Datasets()
	if err != nil {
		return workspace.Dataset{}, false
	}
	for _, d := range all {
		vs, err := s.ws.Versions(d.Name)
		if err != nil {
			continue
		}
		for _, v := range vs {
			if v.Hash == hash {
				return v, true
			}
		}
	}
	return workspace.Dataset{}, false
}

// frameAt returns the data after the first k steps of r: the stored
// version of the nearest state at or before k, with the steps after it
// recomputed.
func (s *Session) frameAt(ctx context.Context, r *Recipe, k int) (*frame.Frame, error) {
	for j := k; j >= 0; j-- {
		var h string
		if j == 0 {
			h = r.Base
		} else if res := r.Steps[j-1].Result; res != nil {
			h = res.Hash
		}
		d, ok := s.findVersion(h)
		if !ok {
			continue
		}
		f, err := s.ws.Load(ctx, d)
		if err != nil {
			return nil, err
		}
		g, _, err := r.ApplyRange(ctx, f, j, k)
		return g, err
	}
	return nil, fmt.Errorf("clean: the version the recipe of %q starts from (%.12s) is no longer in the workspace", s.name, r.Base)
}

// Undo makes the data before the last step in effect the latest version
// again (as a new version whose content equals that earlier one; the
// snapshot file is shared) and moves the cursor back.
func (s *Session) Undo(ctx context.Context) (workspace.Dataset, error) {
	s.Attached() // first take up another session's steps (see Attached); moveTo reports the error
	if !s.recipe.CanUndo() {
		return workspace.Dataset{}, errors.New("clean: nothing to undo")
	}
	return s.moveTo(ctx, s.recipe.Applied()-1, "clean.undo")
}

// Redo re-applies the first undone step (reusing its stored version when
// it still exists) and moves the cursor forward.
func (s *Session) Redo(ctx context.Context) (workspace.Dataset, error) {
	s.Attached() // first take up another session's steps (see Attached); moveTo reports the error
	if !s.recipe.CanRedo() {
		return workspace.Dataset{}, errors.New("clean: nothing to redo")
	}
	return s.moveTo(ctx, s.recipe.Applied()+1, "clean.redo")
}

func (s *Session) moveTo(ctx context.Context, k int, action string) (workspace.Dataset, error) {
	cur, err := s.attached()
	if err != nil {
		return cur, err
	}
	r := s.recipe.Clone()
	g, err := s.frameAt(ctx, r, k)
	if err != nil {
		return cur, err
	}
	var what string
	if k > r.Applied() {
		what = "redo " + r.Steps[k-1].Describe()
	} else {
		what = "undo " + r.Steps[k].Describe()
	}
	d, err := s.store(ctx, g, cur, what)
	if err != nil {
		return cur, err
	}
	r.Undone = len(r.Steps) - k
	if k > 0 {
		res := r.Steps[k-1].Result
		if res == nil {
			res = &Result{}
			r.Steps[k-1].Result = res
		}
		res.Version, res.Hash = d.Version, d.Hash
	} else if d.Hash != r.Base {
		// The Parquet writer is deterministic, so this only happens when
		// the base came from another codec.
		r.Base, r.BaseVersion = d.Hash, d.Version
	}
	return d, s.save(r, action, d, nil)
}

// SetSteps replaces the recipe's steps (the Clean screen's editable list:
// edited params, removed or reordered steps), replays all of them from the
// recipe's base version and stores the result as a new version. Nothing is
// written when a step fails; the error names it.
func (s *Session) SetSteps(ctx context.Context, steps []Step) (workspace.Dataset, []Effect, error) {
	cur, err := s.attached()
	if err != nil {
		return cur, nil, err
	}
	r := s.recipe.Clone()
	r.Steps, r.Undone = make([]Step, len(steps)), 0
	for i, st := range steps {
		r.Steps[i] = st.clone()
		r.Steps[i].Result = nil
	}
	f, err := s.frameAt(ctx, r, 0)
	if err != nil {
		return cur, nil, err
	}
	g, effs, err := r.Apply(ctx, f)
	if err != nil {
		return cur, nil, err
	}
	d, err := s.store(ctx, g, cur, fmt.Sprintf("edited recipe of %d steps", len(steps)))
	if err != nil {
		return cur, nil, err
	}
	for i := range r.Steps {
		r.Steps[i].Result = &Result{Effect: effs[i]}
	}
	if n := len(r.Steps); n > 0 {
		r.Steps[n-1].Result.Version, r.Steps[n-1].Result.Hash = d.Version, d.Hash
	}
	return d, effs, s.save(r, "clean.edit", d, nil)
}

// Rebase replays the steps in effect on the dataset's latest version —
// after a re-import made the session detached — and stores the result as a
// new version; the recipe then starts from that latest version.
func (s *Session) Rebase(ctx context.Context) (workspace.Dataset, []Effect, error) {
	cur, err := s.ws.Dataset(s.name)
	if err != nil {
		return cur, nil, err
	}
	f, err := s.ws.Load(ctx, cur)
	if err != nil {
		return cur, nil, err
	}
	r := s.recipe.Clone()
	r.Steps = r.Steps[:r.Applied()]
	r.Undone = 0
	r.Base, r.BaseVersion = cur.Hash, cur.Version
	g, effs, err := r.Apply(ctx, f)
	if err != nil {
		return cur, nil, err
	}
	d, err := s.store(ctx, g, cur, fmt.Sprintf("replayed recipe of %d steps", len(r.Steps)))
	if err != nil {
		return cur, nil, err
	}
	for i := range r.Steps {
		r.Steps[i].Result = &Result{Effect: effs[i]}
	}
	if n := len(r.Steps); n > 0 {
		r.Steps[n-1].Result.Version, r.Steps[n-1].Result.Hash = d.Version, d.Hash
	} else {
		r.Base, r.BaseVersion = d.Hash, d.Version
	}
	return d, effs, s.save(r, "clean.rebase", d, nil)
}

// Reset starts an empty recipe on the dataset's latest version (keeping
// the salt, so hashes stay comparable). The previous recipe file is kept
// as data/recipes/<dataset>.json.bak. No data is written.
func (s *Session) Reset(ctx context.Context) error {
	cur, err := s.ws.Dataset(s.name)
	if err != nil {
		return err
	}
	r := NewRecipe(s.name)
	if s.recipe.Salt != "" {
		r.Salt = s.recipe.Salt
	}
	r.Base, r.BaseVersion = cur.Hash, cur.Version
	return s.save(r, "clean.reset", cur, nil)
}

// Derive applies the steps in effect of r to the dataset version src and
// stores the result as a new version of the dataset target (created when
// it does not exist; Parent = src's hash). target's recipe file becomes r,
// based on src (the previous file is kept as .bak), so a Session on target
// can undo the steps. Nothing is written when a step fails; the error names
// the step.
func Derive(ctx context.Context, ws *workspace.Workspace, src workspace.Dataset, target string, r *Recipe) (workspace.Dataset, []Effect, error) {
	if err := workspace.ValidDatasetName(target); err != nil {
		return workspace.Dataset{}, nil, err
	}
	f, err := ws.Load(ctx, src)
	if err != nil {
		return workspace.Dataset{}, nil, err
	}
	rr := r.Clone()
	rr.Steps, rr.Undone = rr.Steps[:rr.Applied()], 0
	rr.Dataset, rr.Base, rr.BaseVersion = target, src.Hash, src.Version
	for i := range rr.Steps {
		rr.Steps[i].Result = nil
	}
	g, effs, err := rr.Apply(ctx, f)
	if err != nil {
		return workspace.Dataset{}, nil, err
	}
	s := &Session{ws: ws, name: target, recipe: rr}
	// Derive replaces target's recipe on purpose: the check in save only
	// guards against a rewrite while the steps run.
	s.disk, _ = os.ReadFile(RecipePath(ws, target))
	desc := fmt.Sprintf("recipe of %d steps", len(rr.Steps))
	d, err := s.store(ctx, g, src, desc)
	if err != nil {
		return workspace.Dataset{}, nil, err
	}
	for i := range rr.Steps {
		rr.Steps[i].Result = &Result{Effect: effs[i]}
	}
	if n := len(rr.Steps); n > 0 {
		rr.Steps[n-1].Result.Version, rr.Steps[n-1].Result.Hash = d.Version, d.Hash
	}
	return d, effs, s.save(rr, "clean.derive", d, map[string]any{"source": src.Ref()})
}
