package clean

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/clean"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

func TestApplyDropDuplicates(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	h.focusColumn(t, "city")
	h.pick(t, "drop exact duplicate rows")
	if !h.m.Capturing() {
		t.Error("Capturing() = false with the form open")
	}
	// demo.Customers(1, 1000) holds 1000/500 = 2 copies of other rows.
	if got, want := h.m.form.preview, "2 rows dropped"; got != want {
		t.Fatalf("preview %q (err %q), want %q", got, h.m.form.previewErr, want)
	}
	if !strings.Contains(h.View(), "preview: 2 rows dropped") {
		t.Errorf("the view does not show the preview:\n%s", h.View())
	}
	if n := versions(t, ws, "customers"); n != 1 {
		t.Fatalf("the preview wrote a version: %d versions", n)
	}
	h.keys(t, "enter")
	if h.m.mode != modeBrowse {
		t.Fatalf("mode %v after apply, want browse", h.m.mode)
	}
	if n := versions(t, ws, "customers"); n != 2 {
		t.Fatalf("%d versions after apply, want 2", n)
	}
	if got := h.m.f.NumRows(); got != 998 {
		t.Errorf("the screen shows %d rows after apply, want 998 (reloaded version 2)", got)
	}
	if got := h.statuses(); len(got) == 0 || got[0] != "applied drop_duplicates: 2 rows dropped → customers@2" {
		t.Errorf("statuses %q", got)
	}
	var selected, changed bool
	for _, msg := range h.msgs {
		switch msg := msg.(type) {
		case ui.DatasetSelectedMsg:
			selected = msg.Name == "customers"
		case ui.WorkspaceChangedMsg:
			changed = true
		}
	}
	if !selected || !changed {
		t.Errorf("DatasetSelectedMsg %v, WorkspaceChangedMsg %v after apply; want both", selected, changed)
	}
	r, err := clean.ReadRecipe(clean.RecipePath(ws, "customers"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 1 || r.Steps[0].Op != "drop_duplicates" || r.Steps[0].Result.Version != 2 {
		t.Errorf("recipe file steps %+v", r.Steps)
	}
	// The original import is untouched.
	vs, _ := ws.Versions("customers")
	f, err := ws.Load(context.Background(), vs[0])
	if err != nil || f.NumRows() != 1000 {
		t.Errorf("version 1 has %v rows (err %v), want 1000", f.NumRows(), err)
	}
	v := h.View()
	for _, want := range []string{"Recipe (1 step)", "1 drop_duplicates", "2 rows dropped · v2", "Columns of customers@2", "998 rows × 19 columns"} {
		if !strings.Contains(v, want) {
			t.Errorf("the view lacks %q:\n%s", want, v)
		}
	}
}

func TestUndoRedo(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	h.pick(t, "drop exact duplicate rows")
	h.keys(t, "enter")
	h.reset()

	h.keys(t, "u")
	if n := versions(t, ws, "customers"); n != 3 {
		t.Fatalf("%d versions after undo, want 3 (undo makes a version)", n)
	}
	if got := h.m.f.NumRows(); got != 1000 {
		t.Errorf("%d rows after undo, want 1000", got)
	}
	if h.m.recipe.Undone != 1 || len(h.m.recipe.Steps) != 1 {
		t.Errorf("recipe after undo: %d steps, %d undone; want 1, 1", len(h.m.recipe.Steps), h.m.recipe.Undone)
	}
	vs, _ := ws.Versions("customers")
	if vs[2].Hash != vs[0].Hash {
		t.Errorf("the undone version's content (%s) differs from the original (%s)", vs[2].Hash, vs[0].Hash)
	}
	if v := h.View(); !strings.Contains(v, "undone below (ctrl+r)") || !strings.Contains(v, "1 undone") {
		t.Errorf("the view does not show the undone step:\n%s", v)
	}
	if got := h.statuses(); len(got) == 0 || got[0] != "undid drop_duplicates → customers@3" {
		t.Errorf("statuses %q", got)
	}

	h.keys(t, "ctrl+r")
	if n := versions(t, ws, "customers"); n != 4 {
		t.Fatalf("%d versions after redo, want 4", n)
	}
	if got := h.m.f.NumRows(); got != 998 {
		t.Errorf("%d rows after redo, want 998", got)
	}
	if h.m.recipe.Undone != 0 {
		t.Errorf("%d undone after redo, want 0", h.m.recipe.Undone)
	}
	vs, _ = ws.Versions("customers")
	if vs[3].Hash != vs[1].Hash {
		t.Error("the redone version's content differs from the first applied one")
	}

	h.reset()
	h.keys(t, "ctrl+r")
	if got := h.statuses(); len(got) != 1 || got[0] != "nothing to redo" {
		t.Errorf("statuses %q after a redo with nothing undone", got)
	}
}

// canonicalChanges counts the rows of a text column whose value is not the
// most frequent spelling among those equal after clean.NormalizeCategory:
// the cells merging every variant group changes, computed independently of
// the screen.
func canonicalChanges(c *frame.CategoricalCol) int {
	counts := map[string]int{}
	for _, k := range c.Codes {
		if k >= 0 {
			counts[c.Levels[k]]++
		}
	}
	best := map[string]string{}
	for _, lv := range c.Levels { // level order breaks ties, as SuggestVariants
		key := clean.NormalizeCategory(lv)
		if b, ok := best[key]; !ok || counts[lv] > counts[b] {
			best[key] = lv
		}
	}
	n := 0
	for _, k := range c.Codes {
		if k >= 0 && c.Levels[k] != best[clean.NormalizeCategory(c.Levels[k])] {
			n++
		}
	}
	return n
}

func TestMergeCategoriesSuggestion(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	h.keys(t, "S")
	if h.m.mode != modeSuggest {
		t.Fatalf("mode %v after S", h.m.mode)
	}
	i := -1
	for j, s := range h.m.sugg {
		if s.Step.Op == "merge_categories" && s.Step.Columns[0] == "city" {
			i = j
		}
	}
	if i < 0 {
		t.Fatalf("no merge_categories suggestion for city among %d", len(h.m.sugg))
	}
	if !strings.Contains(h.View(), `merge_categories "city"`) || !strings.Contains(h.View(), `groups of variant spellings in "city"`) {
		t.Errorf("the suggestion or its reason is not shown:\n%s", h.View())
	}
	for range i {
		h.keys(t, "down")
	}
	h.keys(t, "enter")
	f := h.m.form
	if f == nil || f.op != "merge_categories" || f.reason == "" {
		t.Fatalf("form %+v after enter on the suggestion", f)
	}
	g := f.fields[f.index("groups")].groups
	if len(g) < 2 || g[0].values[0] != "London" {
		t.Fatalf("groups %+v, want London's first (the most frequent city)", g)
	}
	col := h.m.f.Columns()[h.m.f.Index("city")].(*frame.CategoricalCol)
	want := canonicalChanges(col)
	if want == 0 {
		t.Fatal("the demo data has no variant spellings: the test cannot fail")
	}
	if got := f.preview; !strings.HasPrefix(got, ui.Thousands(int64(want))+" cells change") {
		t.Fatalf("preview %q (err %q), want %d cells to change", got, f.previewErr, want)
	}
	// Leave London's group out: its variants stay, fewer cells change.
	h.keys(t, " ")
	if f.fields[f.index("groups")].groups[0].on {
		t.Fatal("space did not leave the group out")
	}
	fewer := f.preview
	if fewer == "" || fewer == ui.Thousands(int64(want))+" cells change" {
		t.Errorf("preview %q after leaving London out", fewer)
	}
	h.keys(t, " ", "enter")
	g2, err := ws.LoadDataset(context.Background(), "customers")
	if err != nil {
		t.Fatal(err)
	}
	if n := canonicalChanges(g2.Columns()[g2.Index("city")].(*frame.CategoricalCol)); n != 0 {
		t.Errorf("%d cells still hold variants after applying the suggestion", n)
	}
}

func TestStaleStepError(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	// Step 1 renames age to years; step 2 imputes years.
	h.focusColumn(t, "age")
	h.pick(t, "rename")
	h.keys(t, "down")
	h.typeText(t, "years")
	h.keys(t, "enter")
	h.focusColumn(t, "years")
	h.pick(t, "impute")
	if got := h.m.form.preview; !strings.HasPrefix(got, "38 cells change") {
		t.Fatalf("impute preview %q (err %q)", got, h.m.form.previewErr)
	}
	h.keys(t, "enter")
	if n := versions(t, ws, "customers"); n != 3 {
		t.Fatalf("%d versions, want 3", n)
	}
	h.reset()
	// Deleting step 1 leaves a step on a column that no longer exists.
	h.keys(t, "tab", "g", "x")
	if h.m.mode != modeConfirm {
		t.Fatalf("mode %v after x, want confirm", h.m.mode)
	}
	h.keys(t, "y")
	errs := h.errs()
	want := `clean: step 1 (impute "years"): column "years" not found`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("errors %v, want %q", errs, want)
	}
	if n := versions(t, ws, "customers"); n != 3 {
		t.Errorf("%d versions after the failed edit, want 3 (nothing written)", n)
	}
	if len(h.m.recipe.Steps) != 2 || h.m.failed != 1 {
		t.Errorf("recipe %d steps, failed step %d; want 2 steps kept, failed 1", len(h.m.recipe.Steps), h.m.failed)
	}
	// Moving the steps fails the same way; deleting the last one works.
	h.reset()
	h.keys(t, "J")
	if errs := h.errs(); len(errs) != 1 || !strings.Contains(errs[0].Error(), `column "years" not found`) {
		t.Errorf("errors %v after J", errs)
	}
	h.keys(t, "G", "x", "y")
	if len(h.m.recipe.Steps) != 1 || versions(t, ws, "customers") != 4 {
		t.Errorf("after deleting step 2: %d steps, %d versions; want 1, 4", len(h.m.recipe.Steps), versions(t, ws, "customers"))
	}
}

func TestEditStep(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	h.focusColumn(t, "monthly_fee")
	h.pick(t, "impute")
	h.keys(t, "enter")
	h.keys(t, "tab", "e")
	f := h.m.form
	if f == nil || f.edit != 0 {
		t.Fatalf("form %+v after e", f)
	}
	h.keys(t, "down", "right") // median → mean
	if got := f.fields[1].value(); got != "mean" {
		t.Fatalf("method %q", got)
	}
	if !strings.HasPrefix(f.preview, "as step 1: 9 cells change (mean monthly_fee = ") {
		t.Fatalf("edit preview %q (err %q)", f.preview, f.previewErr)
	}
	h.keys(t, "enter")
	if h.m.mode != modeBrowse || h.m.recipe.Steps[0].Params["method"] != "mean" {
		t.Fatalf("mode %v, step %+v after the edit", h.m.mode, h.m.recipe.Steps[0])
	}
	if n := versions(t, ws, "customers"); n != 3 {
		t.Errorf("%d versions after the edit, want 3", n)
	}
}

func TestFormErrorsAndCapture(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	h.pick(t, "filter rows")
	if h.m.form.previewErr == "" {
		t.Error("an empty filter has no error")
	}
	h.typeText(t, "age >= 18 && plan == \"pro\" && quux > 1")
	if !strings.Contains(h.m.form.previewErr, "quux") {
		t.Errorf("preview error %q does not name the unknown column", h.m.form.previewErr)
	}
	h.keys(t, "enter")
	if h.m.mode != modeForm || versions(t, ws, "customers") != 1 {
		t.Errorf("a failing step was applied: mode %v, %d versions", h.m.mode, versions(t, ws, "customers"))
	}
	for range len(" && quux > 1") {
		h.keys(t, "backspace")
	}
	if !strings.Contains(h.m.form.preview, "rows dropped") {
		t.Errorf("preview %q (err %q)", h.m.form.preview, h.m.form.previewErr)
	}
	// q typed into the expression, u and x as letters: no undo, no quit.
	h.typeText(t, "qux")
	if !strings.HasSuffix(h.m.form.fields[0].value(), "qux") {
		t.Errorf("letters did not reach the input: %q", h.m.form.fields[0].value())
	}
	h.keys(t, "esc")
	if h.m.mode != modeBrowse || h.m.Capturing() {
		t.Errorf("mode %v after esc", h.m.mode)
	}
	// impute is offered only where values are missing.
	h.focusColumn(t, "customer_id")
	h.keys(t, "a")
	for _, it := range h.m.menu {
		if it.step.Op == "impute" || it.step.Op == "clip" {
			t.Errorf("customer_id (no missing, text) is offered %s", it.step.Op)
		}
	}
	h.keys(t, "esc")
	h.focusColumn(t, "age")
	h.keys(t, "a")
	var ops []string
	for _, it := range h.m.menu {
		ops = append(ops, it.step.Op)
	}
	if got := strings.Join(ops, " "); !strings.HasPrefix(got, "impute drop_missing clip winsorize") {
		t.Errorf("age's menu: %s", got)
	}
}

func TestDetachedRebase(t *testing.T) {
	ws := newWorkspace(t, "customers", customers())
	h := open(t, ws, "customers", 120, 40, themes.NameDark)
	h.pick(t, "drop exact duplicate rows")
	h.keys(t, "enter")
	// A re-import adds a version the recipe did not make.
	if _, err := ws.ImportFrame(context.Background(), "customers", "reimport", demo.Customers(2, 1000)); err != nil {
		t.Fatal(err)
	}
	h.send(t, ui.DatasetSelectedMsg{Name: "customers"})
	if !h.m.detached() {
		t.Fatal("the session is not detached after a re-import")
	}
	if v := h.View(); !strings.Contains(v, "customers@3 was changed outside its recipe") {
		t.Errorf("no banner:\n%s", v)
	}
	h.reset()
	h.keys(t, "u")
	if errs := h.errs(); len(errs) != 1 || !errors.Is(errs[0], clean.ErrDetached) {
		t.Errorf("undo on a detached recipe: errors %v", errs)
	}
	h.keys(t, "R")
	if h.m.detached() {
		t.Error("still detached after R")
	}
	if n := versions(t, ws, "customers"); n != 4 {
		t.Errorf("%d versions after rebase, want 4", n)
	}
	// The re-imported data without its 1000/500 repeated rows.
	if want := 998; h.m.f.NumRows() != want {
		t.Errorf("%d rows after rebase, want %d", h.m.f.NumRows(), want)
	}
	if strings.Contains(h.View(), "changed outside its recipe") {
		t.Error("the banner stays after rebase")
	}
}

func TestMergePlan(t *testing.T) {
	// left ids 1..5 and a missing one; right ids 2, 3, 3, 7 and a missing one.
	na := func(n int, i ...int) frame.Mask {
		miss := make([]bool, n)
		for _, j := range i {
			miss[j] = true
		}
		return frame.MaskFromMissing(miss)
	}
	left, err := frame.New(
		frame.NewInt64("id", []int64{1, 2, 3, 4, 5, 0}, na(6, 5)),
		frame.NewFloat64("x", []float64{1, 2, 3, 4, 5, 6}, frame.Mask{}))
	must(t, err)
	right, err := frame.New(
		frame.NewInt64("id", []int64{2, 3, 3, 7, 0}, na(5, 4)),
		frame.NewString("tag", []string{"b", "c1", "c2", "g", "z"}, frame.Mask{}))
	must(t, err)
	bad, err := frame.New(frame.NewString("id", []string{"1", "2"}, frame.Mask{}))
	must(t, err)
	ws := newWorkspace(t, "left", left, "right", right, "strings", bad)
	h := open(t, ws, "left", 80, 24, themes.NameDark)
	h.keys(t, "m")
	f := h.m.merge
	if f == nil || len(f.datasets) != 2 || f.datasets[f.right].Name != "right" {
		t.Fatalf("merge form %+v", f)
	}
	if f.keys.Value() != "id" || f.name.Value() != "left_right" {
		t.Errorf("default keys %q, name %q; want id, left_right", f.keys.Value(), f.name.Value())
	}
	p := f.plan
	if p == nil {
		t.Fatalf("no plan (err %q)", f.planErr)
	}
	// Matched: left 2, 3; right 2, 3, 3. Pairs 2→1, 3→2. Missing keys never match.
	want := [...]int{6, 5, 2, 4, 3, 2, 1, 1, 3, 3}
	got := [...]int{p.LeftRows, p.RightRows, p.LeftMatched, p.LeftUnmatched, p.RightMatched, p.RightUnmatched, p.LeftNullKeys, p.RightNullKeys, p.Pairs, p.ResultRows}
	if got != want {
		t.Errorf("plan %v, want %v", got, want)
	}
	v := h.View()
	for _, w := range []string{
		"left         6         2          4       1",
		"right        5         3          2       1",
		"result: 3 rows (3 pairs, inner join)",
	} {
		if !strings.Contains(v, w) {
			t.Errorf("the plan view lacks %q:\n%s", w, v)
		}
	}
	h.keys(t, "down", "down", "right") // how: left
	if f.plan == nil || f.plan.ResultRows != 7 {
		t.Fatalf("left join plan %+v", f.plan)
	}
	// A string key against an int key is a type mismatch; nothing runs.
	h.keys(t, "up", "up", "right")
	if f.datasets[f.right].Name != "strings" || f.plan == nil || len(f.plan.TypeMismatch) != 1 {
		t.Fatalf("plan with strings: %+v (err %q)", f.plan, f.planErr)
	}
	if !strings.Contains(h.View(), `type mismatch: key "id": left int, right`) {
		t.Errorf("the mismatch is not shown:\n%s", h.View())
	}
	h.keys(t, "enter")
	if _, err := ws.Dataset("left_strings"); err == nil {
		t.Error("a join with mismatched keys ran")
	}
	h.keys(t, "left")
	h.reset()
	h.keys(t, "enter")
	d, err := ws.Dataset("left_right")
	if err != nil {
		t.Fatalf("no merged dataset: %v (plan err %q)", err, f.planErr)
	}
	lv, _ := ws.Dataset("left")
	if d.Rows != 7 || d.Parent != lv.Hash || len(d.Columns) != 3 {
		t.Errorf("merged dataset %+v", d)
	}
	if h.m.name != "left_right" || h.m.mode != modeBrowse {
		t.Errorf("the screen shows %q in mode %v after the merge", h.m.name, h.m.mode)
	}
}

func TestNoWorkspace(t *testing.T) {
	c := uitest.Common(t, themes.NameDark)
	m := New(c)
	m.SetSize(80, 24)
	f := customers()
	m.Update(ui.DatasetLoadedMsg{Name: "customers.csv", Frame: f})
	for _, k := range []string{"a", "S", "m", "u"} {
		if _, cmd := m.Update(uitest.Key(k)); cmd != nil {
			t.Errorf("key %s did something without a workspace", k)
		}
	}
	v := m.View()
	if !strings.Contains(v, "Cleaning needs a workspace") || strings.Contains(v, "customer_id") || m.HasPanes() {
		t.Errorf("view without a workspace:\n%s", v)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A many-to-many key past merge.DefaultMaxRows is refused from the plan,
// as "mlwb merge" refuses past --max-rows: 8,000 × 8,000 rows sharing one
// key would make 64 million rows.
func TestMergeRefusesAnExplodingJoin(t *testing.T) {
	const n = 8000
	keys := make([]int64, n)
	for i := range keys {
		keys[i] = 1
	}
	left, err := frame.New(frame.NewInt64("id", keys, frame.Mask{}))
	must(t, err)
	right, err := frame.New(frame.NewInt64("id", keys, frame.Mask{}))
	must(t, err)
	ws := newWorkspace(t, "left", left, "right", right)
	h := open(t, ws, "left", 80, 24, themes.NameDark)
	h.keys(t, "m")
	if p := h.m.merge.plan; p == nil || p.ResultRows != n*n {
		t.Fatalf("plan %+v, want %d result rows", p, n*n)
	}
	if v := h.View(); !strings.Contains(v, "refused") {
		t.Errorf("the plan does not say the join is refused:\n%s", v)
	}
	h.keys(t, "enter")
	if _, err := ws.Dataset("left_right"); err == nil {
		t.Error("the exploding join ran")
	}
}
