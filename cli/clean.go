package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mlwb/mlwb/engine/clean"
	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"

	"github.com/spf13/cobra"
)

// CleanJSON is the documented output of "mlwb clean --json".
type CleanJSON struct {
	Source  string          `json:"source"`
	Steps   []CleanStepJSON `json:"steps"`
	Rows    int             `json:"rows"`
	Columns int             `json:"columns"`
	DryRun  bool            `json:"dry_run"`
	Result  *DatasetJSON    `json:"result,omitempty"`
	Out     string          `json:"out,omitempty"`
}

// CleanStepJSON is one step's effect in CleanJSON.
type CleanStepJSON struct {
	Step    int          `json:"step"`
	Op      string       `json:"op"`
	Columns []string     `json:"columns,omitempty"`
	Effect  clean.Effect `json:"effect"`
}

// DatasetJSON names a dataset version written by clean or merge.
type DatasetJSON struct {
	Dataset string `json:"dataset"`
	Version int    `json:"version"`
	Hash    string `json:"hash"`
	File    string `json:"file"`
	Rows    int    `json:"rows"`
}

func datasetJSON(d workspace.Dataset) *DatasetJSON {
	return &DatasetJSON{Dataset: d.Name, Version: d.Version, Hash: d.Hash, File: d.File, Rows: d.Rows}
}

func newCleanCmd(e *env) *cobra.Command {
	var rf readFlags
	var dir, recipePath, name, out string
	var steps []string
	var dryRun, asJSON, strict, suggest bool
	cmd := &cobra.Command{
		Use:   "clean DATASET|FILE (--recipe FILE | --step 'OP ...')",
		Short: "Replay a cleaning recipe on a dataset or a data file",
		Long: `Apply a cleaning recipe — the steps recorded on the Clean screen, or written by
hand — to a workspace dataset (DATASET or DATASET@VERSION) or to a data file,
and print each step's effect. A step that no longer applies (its column is
gone) fails with a message naming the step, and nothing is written.

With a dataset, the result becomes a new version of it (or of --name NEW);
earlier versions are never modified, and the steps are recorded in the
dataset's recipe (data/recipes/NAME.json) so the Clean screen can undo them.
With a FILE, give --out FILE.parquet|.csv. --dry-run only prints the effects.

A recipe file is JSON: {"version": 1, "steps": [{"op": "impute", "columns":
["age"], "params": {"method": "median"}}, ...]}; the ops and their params are
listed in the engine/clean package documentation (go doc
github.com/mlwb/mlwb/engine/clean). Steps can also be given inline, after the
recipe's, as --step 'OP [COLUMN...] [PARAM=VALUE...]' (VALUE is JSON when it
parses as JSON, else text; quote text with spaces):
  --step drop_duplicates
  --step 'impute age method=median'
  --step 'merge_categories city groups=[["Paris","paris ","PARIS"]]'
  --step 'filter expr="age >= 18"'
--strict makes cast and parse_dates fail on a cell they cannot convert
instead of making it missing.

--suggest prints, instead, a recipe of the steps the data suggests
(drop_duplicates for repeated rows, merge_categories for variant spellings
such as "Paris"/"paris "/"PARIS", parse_dates for text columns of dates),
each with its reason as the step's note: review it, save it, and replay it
with --recipe.

JSON output (--json):
  {"source": "customers@1", "rows": N, "columns": N, "dry_run": false,
   "steps": [{"step": 1, "op": "...", "columns": [...], "effect": {"cells_changed": N,
     "rows_dropped": N, "columns_added": N, "columns_dropped": N, "failed": N,
     "detail": "...", "summary": "..."}}],
   "result": {"dataset", "version", "hash", "file", "rows"} (when written), "out": FILE}`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if suggest {
				return suggestRecipe(ctx, e, dir, args[0], rf)
			}
			r, err := buildRecipe(recipePath, steps, strict)
			if err != nil {
				return err
			}
			src, err := resolveInput(dir, args[0])
			if err != nil {
				return err
			}
			res := CleanJSON{DryRun: dryRun, Out: out}
			var g *frame.Frame
			var effs []clean.Effect
			if src.ws == nil {
				if out == "" && !dryRun {
					return fmt.Errorf("%s is a file: give --out FILE.parquet|.csv for the result (or --dry-run)", args[0])
				}
				if name != "" {
					return errors.New("--name needs a workspace dataset (import the file first)")
				}
				opt, err := rf.options()
				if err != nil {
					return err
				}
				bar := newProgress(e.stderr, "loading "+src.file, asJSON)
				opt.Progress = bar.Update
				f, err := dataio.Load(ctx, src.file, opt)
				bar.Done()
				if err != nil {
					return err
				}
				res.Source = src.file
				if g, effs, err = r.Apply(ctx, f); err != nil {
					return err
				}
			} else {
				res.Source = src.ds.Ref()
				target := name
				if target == "" {
					target = src.ds.Name
				}
				if dryRun {
					f, err := src.ws.Load(ctx, src.ds)
					if err != nil {
						return err
					}
					if g, effs, err = r.Apply(ctx, f); err != nil {
						return err
					}
				} else {
					d, e2, note, err := cleanDataset(ctx, src.ws, src.ds, target, r)
					if err != nil {
						return err
					}
					if note != "" && !asJSON {
						e.warn(note)
					}
					effs = e2
					res.Result = datasetJSON(d)
					if out != "" {
						if g, err = src.ws.Load(ctx, d); err != nil {
							return err
						}
					}
					res.Rows, res.Columns = d.Rows, len(d.Columns)
				}
			}
			if g != nil {
				res.Rows, res.Columns = g.NumRows(), g.NumCols()
			}
			for i, st := range r.Active() {
				res.Steps = append(res.Steps, CleanStepJSON{Step: i + 1, Op: st.Op, Columns: st.Columns, Effect: effs[i]})
			}
			if out != "" && !dryRun {
				if err := writeFrameFile(out, g); err != nil {
					return err
				}
			}
			if asJSON {
				if res.Steps == nil {
					res.Steps = []CleanStepJSON{}
				}
				return writeJSON(e, res)
			}
			printClean(e.stdout, res, r)
			return nil
		},
	}
	rf.add(cmd)
	f := cmd.Flags()
	f.StringVar(&recipePath, "recipe", "", "recipe file (JSON) to replay")
	f.StringArrayVar(&steps, "step", nil, "a step, 'OP [COLUMN...] [PARAM=VALUE...]' (repeatable; after the recipe's)")
	f.StringVarP(&dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	f.StringVar(&name, "name", "", "store the result as dataset NAME (default: a new version of DATASET)")
	f.StringVar(&out, "out", "", "also write the result to FILE (.parquet or .csv); required for a FILE input")
	f.BoolVar(&dryRun, "dry-run", false, "print the effects; write nothing")
	f.BoolVar(&strict, "strict", false, "cast and parse_dates fail on cells they cannot convert")
	f.BoolVar(&suggest, "suggest", false, "print a recipe of suggested steps (JSON) instead of cleaning")
	f.BoolVar(&asJSON, "json", false, "print JSON (documented above)")
	return cmd
}

// suggestRecipe prints the suggested steps for the input as a recipe.
func suggestRecipe(ctx context.Context, e *env, dir, arg string, rf readFlags) error {
	src, err := resolveInput(dir, arg)
	if err != nil {
		return err
	}
	opt, err := rf.options()
	if err != nil {
		return err
	}
	f, name, err := loadInput(ctx, e, src, opt, true)
	if err != nil {
		return err
	}
	sug, err := clean.Suggest(ctx, f)
	if err != nil {
		return err
	}
	r := &clean.Recipe{Version: clean.RecipeVersion, Dataset: baseName(name), Steps: []clean.Step{}}
	for _, s := range sug {
		st := s.Step
		st.Note = s.Reason
		r.Steps = append(r.Steps, st)
	}
	b, err := r.MarshalIndent()
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(b)
	return err
}

// buildRecipe reads the recipe file (if any) and appends the inline steps.
func buildRecipe(path string, inline []string, strict bool) (*clean.Recipe, error) {
	if path == "" && len(inline) == 0 {
		return nil, errors.New("give --recipe FILE or at least one --step")
	}
	r := &clean.Recipe{Version: clean.RecipeVersion, Steps: []clean.Step{}}
	if path != "" {
		var err error
		if r, err = clean.ReadRecipe(path); err != nil {
			return nil, err
		}
		// Undone steps in a recipe file are not replayed.
		r.Steps, r.Undone = r.Active(), 0
	}
	for _, s := range inline {
		st, err := parseStepFlag(s)
		if err != nil {
			return nil, err
		}
		r.Steps = append(r.Steps, st)
	}
	if strict {
		for i, st := range r.Steps {
			if st.Op == "cast" || st.Op == "parse_dates" {
				if _, ok := st.Params["strict"]; !ok {
					p := map[string]any{"strict": true}
					for k, v := range st.Params {
						p[k] = v
					}
					r.Steps[i].Params = p
				}
			}
		}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return r, nil
}

// parseStepFlag reads "OP [COLUMN...] [PARAM=VALUE...]".
func parseStepFlag(s string) (clean.Step, error) {
	toks, err := splitStep(s)
	if err != nil {
		return clean.Step{}, fmt.Errorf("--step %q: %v", s, err)
	}
	if len(toks) == 0 {
		return clean.Step{}, errors.New("--step is empty")
	}
	st := clean.Step{Op: toks[0].text}
	for _, t := range toks[1:] {
		k, v, isParam := strings.Cut(t.text, "=")
		if !isParam || t.quotedKey {
			if len(st.Params) > 0 {
				return clean.Step{}, fmt.Errorf("--step %q: column %q comes after a PARAM=VALUE", s, t.text)
			}
			st.Columns = append(st.Columns, t.text)
			continue
		}
		if st.Params == nil {
			st.Params = map[string]any{}
		}
		var val any = v
		if !t.quotedValue {
			var j any
			if err := json.Unmarshal([]byte(v), &j); err == nil {
				val = j
			}
		}
		st.Params[k] = val
	}
	return st, nil
}

type stepToken struct {
	text        string
	quotedKey   bool // a quote came before any '=' (a quoted column name)
	quotedValue bool // a quote came after the '='
}

// splitStep splits on white space outside quotes ('...' or "..." with
// backslash escapes, removed) and outside JSON brackets after '=' (kept
// verbatim).
func splitStep(s string) ([]stepToken, error) {
	var toks []stepToken
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		var t stepToken
		var b strings.Builder
		seenEq := false
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			c := s[i]
			switch {
			case c == '"' || c == '\'':
				j := i + 1
				for j < len(s) && s[j] != c {
					if s[j] == '\\' && c == '"' && j+1 < len(s) {
						j++
					}
					b.WriteByte(s[j])
					j++
				}
				if j >= len(s) {
					return nil, fmt.Errorf("unclosed %c", c)
				}
				if seenEq {
					t.quotedValue = true
				} else {
					t.quotedKey = true
				}
				i = j + 1
			case seenEq && (c == '[' || c == '{') && strings.HasSuffix(b.String(), "="):
				j, err := jsonEnd(s, i)
				if err != nil {
					return nil, err
				}
				b.WriteString(s[i:j])
				i = j
			default:
				if c == '=' {
					seenEq = true
				}
				b.WriteByte(c)
				i++
			}
			if c == '=' {
				seenEq = true
			}
		}
		t.text = b.String()
		toks = append(toks, t)
	}
	return toks, nil
}

// jsonEnd returns the end of the bracketed JSON value starting at s[i].
func jsonEnd(s string, i int) (int, error) {
	depth := 0
	inStr := false
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case inStr && c == '\\':
			j++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("unbalanced brackets in %q", s[i:])
}

// cleanDataset writes the recipe's result as a new version of target. When
// target is the source dataset and src its latest version, the steps are
// added to the dataset's recipe (a new recipe is started, with a note, when
// the old one was recorded on other data); otherwise target's recipe
// becomes r based on src.
func cleanDataset(ctx context.Context, ws *workspace.Workspace, src workspace.Dataset, target string, r *clean.Recipe) (workspace.Dataset, []clean.Effect, string, error) {
	latest, err := ws.Dataset(src.Name)
	if err != nil {
		return workspace.Dataset{}, nil, "", err
	}
	if target != src.Name || latest.Hash != src.Hash {
		d, effs, err := clean.Derive(ctx, ws, src, target, r)
		return d, effs, "", err
	}
	s, err := clean.OpenSession(ctx, ws, target)
	if err != nil {
		return workspace.Dataset{}, nil, "", err
	}
	var note string
	if ok, _, err := s.Attached(); err != nil {
		return workspace.Dataset{}, nil, "", err
	} else if !ok {
		// Check the steps apply before touching the recipe file.
		f, err := ws.Load(ctx, src)
		if err != nil {
			return workspace.Dataset{}, nil, "", err
		}
		if _, _, err := r.Apply(ctx, f); err != nil {
			return workspace.Dataset{}, nil, "", err
		}
		if err := s.Reset(ctx); err != nil {
			return workspace.Dataset{}, nil, "", err
		}
		note = fmt.Sprintf("the recipe of %q was recorded on other data: started a new one (the old one is in %s.bak)", target, clean.RecipePath(ws, target))
	}
	before := s.Recipe().Applied()
	d, effs, err := s.ApplyAll(ctx, r.Resolved())
	var se *clean.StepError
	if errors.As(err, &se) {
		se.Index -= before // number the step as in the user's recipe
	}
	return d, effs, note, err
}

func printClean(w io.Writer, res CleanJSON, r *clean.Recipe) {
	for i, st := range res.Steps {
		fmt.Fprintf(w, "step %d %s: %s\n", st.Step, r.Steps[i].Describe(), st.Effect.Summary)
	}
	switch {
	case res.DryRun:
		fmt.Fprintf(w, "dry run on %s: %d rows × %d columns; nothing written\n", res.Source, res.Rows, res.Columns)
	case res.Result != nil:
		fmt.Fprintf(w, "%s → %s@%d: %d rows × %d columns (%s)\n", res.Source, res.Result.Dataset, res.Result.Version, res.Rows, res.Columns, res.Result.File)
	}
	if res.Out != "" && !res.DryRun {
		fmt.Fprintf(w, "wrote %s (%d rows × %d columns)\n", res.Out, res.Rows, res.Columns)
	}
}
