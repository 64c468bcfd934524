package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mlwb/mlwb/engine/merge"
	"github.com/mlwb/mlwb/workspace"

	"github.com/spf13/cobra"
)

// MergeJSON is the documented output of "mlwb merge --json".
type MergeJSON struct {
	Left    string        `json:"left"`
	Right   string        `json:"right"`
	How     string        `json:"how"`
	LeftOn  []string      `json:"left_on"`
	RightOn []string      `json:"right_on"`
	Plan    MergePlanJSON `json:"plan"`
	Result  *DatasetJSON  `json:"result,omitempty"`
	Out     string        `json:"out,omitempty"`
}

// MergePlanJSON is merge.Stats in MergeJSON.
type MergePlanJSON struct {
	LeftRows       int      `json:"left_rows"`
	RightRows      int      `json:"right_rows"`
	LeftMatched    int      `json:"left_matched"`
	LeftUnmatched  int      `json:"left_unmatched"`
	RightMatched   int      `json:"right_matched"`
	RightUnmatched int      `json:"right_unmatched"`
	LeftNullKeys   int      `json:"left_null_keys"`
	RightNullKeys  int      `json:"right_null_keys"`
	Pairs          int      `json:"pairs"`
	ResultRows     int      `json:"result_rows"`
	TypeMismatch   []string `json:"type_mismatch"`
}

func newMergeCmd(e *env) *cobra.Command {
	var rf readFlags
	var dir, how, name, out string
	var on, leftOn, rightOn, suffixes []string
	var asJSON, planOnly bool
	maxRows := defaultMergeMaxRows
	cmd := &cobra.Command{
		Use:   "merge LEFT RIGHT --on KEY[,KEY...]",
		Short: "Join two datasets (or data files) on one or more keys",
		Long: `Join LEFT and RIGHT — workspace datasets (NAME or NAME@VERSION) or data files —
on key columns with a hash join: --how inner (default), left, right or outer.
Before running it prints the plan: matched and unmatched rows per side, rows
with a missing key (they never match, as in SQL), the result's size and any
key type mismatch (int with string...), which stops the join. Int keys match
float keys numerically; categorical and string keys match by text.

The result is stored as a new dataset (--name, default LEFT_RIGHT) whose
parent is LEFT's version; with --out it is also written to a .parquet or .csv
file, which is required when no workspace is involved. --plan only prints the
plan.

Columns: LEFT's, then RIGHT's non-key columns; a key with one name on both
sides appears once; other names on both sides get the --suffixes (_x,_y).
Rows: inner and left joins in LEFT's order, right joins in RIGHT's order,
outer joins as the left join followed by RIGHT's unmatched rows.

JSON output (--json):
  {"left": "customers@2", "right": "orders@1", "how": "inner", "left_on": [...],
   "right_on": [...], "plan": {"left_rows", "right_rows", "left_matched",
   "left_unmatched", "right_matched", "right_unmatched", "left_null_keys",
   "right_null_keys", "pairs", "result_rows", "type_mismatch": [...]},
   "result": {"dataset", "version", "hash", "file", "rows"} (when stored), "out": FILE}`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			h, err := merge.ParseHow(how)
			if err != nil {
				return err
			}
			spec := merge.Spec{On: on, LeftOn: leftOn, RightOn: rightOn, How: h}
			if len(suffixes) > 0 {
				if len(suffixes) != 2 {
					return fmt.Errorf("--suffixes takes two values, like _x,_y; got %d", len(suffixes))
				}
				spec.Suffixes = [2]string{suffixes[0], suffixes[1]}
			}
			if len(on) == 0 && len(leftOn) == 0 {
				return errors.New("give the key columns with --on KEY[,KEY], or --left-on and --right-on")
			}
			opt, err := rf.options()
			if err != nil {
				return err
			}
			li, err := resolveInput(dir, args[0])
			if err != nil {
				return err
			}
			ri, err := resolveInput(dir, args[1])
			if err != nil {
				return err
			}
			ws := li.ws
			if ws == nil {
				ws = ri.ws
			}
			if !planOnly && out == "" && (li.ws == nil || ri.ws == nil) {
				if ws == nil {
					return errors.New("no workspace: give --out FILE.parquet|.csv for the result (or --plan)")
				}
			}
			left, lname, err := loadInput(ctx, e, li, opt, asJSON)
			if err != nil {
				return err
			}
			right, rname, err := loadInput(ctx, e, ri, opt, asJSON)
			if err != nil {
				return err
			}
			st, err := merge.Plan(ctx, left, right, spec)
			if err != nil {
				return err
			}
			res := MergeJSON{Left: lname, Right: rname, How: h.String(), LeftOn: leftOn, RightOn: rightOn, Plan: planJSON(st), Out: out}
			if len(on) > 0 {
				res.LeftOn, res.RightOn = on, on
			}
			if !asJSON {
				printPlan(e.stdout, res)
			}
			if planOnly || len(st.TypeMismatch) > 0 {
				if asJSON {
					if err := writeJSON(e, res); err != nil {
						return err
					}
				}
				if len(st.TypeMismatch) > 0 && !planOnly {
					return fmt.Errorf("%w: %s (cast one side first, e.g. mlwb clean NAME --step 'cast KEY to=string')", merge.ErrTypeMismatch, strings.Join(st.TypeMismatch, "; "))
				}
				return nil
			}
			if maxRows > 0 && st.ResultRows > maxRows {
				return fmt.Errorf("merge: the join would make %s rows (more than --max-rows %s): the keys repeat on both sides (%s pairs from %s × %s rows); check them with --plan, or raise --max-rows",
					thousands(st.ResultRows), thousands(maxRows), thousands(st.Pairs), thousands(st.LeftRows), thousands(st.RightRows))
			}
			g, err := merge.Join(ctx, left, right, spec)
			if err != nil {
				return err
			}
			if ws != nil && (li.ws != nil || ri.ws != nil) && (name != "" || out == "") {
				target := name
				if target == "" {
					target = workspace.DatasetName(baseName(lname) + "_" + baseName(rname))
				}
				src := fmt.Sprintf("merge(%s %s %s on %s)", lname, h, rname, strings.Join(res.LeftOn, ","))
				var parent string
				if li.ws != nil {
					parent = li.ds.Hash
				}
				d, err := ws.ImportFrameWith(ctx, target, src, g, workspace.ImportOptions{Parent: parent, Format: "merge"})
				if err != nil {
					return err
				}
				if err := ws.Log("merge", map[string]any{"left": lname, "right": rname, "how": h.String(), "on": res.LeftOn, "dataset": d.Name, "version": d.Version, "hash": d.Hash, "rows": d.Rows}); err != nil {
					return err
				}
				res.Result = datasetJSON(d)
			}
			if out != "" {
				if err := writeFrameFile(out, g); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(e, res)
			}
			if res.Result != nil {
				fmt.Fprintf(e.stdout, "stored %s@%d: %d rows × %d columns (%s)\n", res.Result.Dataset, res.Result.Version, g.NumRows(), g.NumCols(), res.Result.File)
			}
			if out != "" {
				fmt.Fprintf(e.stdout, "wrote %s: %d rows × %d columns\n", out, g.NumRows(), g.NumCols())
			}
			return nil
		},
	}
	rf.add(cmd)
	f := cmd.Flags()
	f.StringSliceVar(&on, "on", nil, "key columns present on both sides (comma-separated)")
	f.StringSliceVar(&leftOn, "left-on", nil, "LEFT's key columns, when the names differ")
	f.StringSliceVar(&rightOn, "right-on", nil, "RIGHT's key columns, pairwise with --left-on")
	f.StringVar(&how, "how", "inner", "inner, left, right or outer")
	f.StringSliceVar(&suffixes, "suffixes", nil, "suffixes for other columns named alike on both sides (default _x,_y)")
	f.StringVarP(&dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder)")
	f.StringVar(&name, "name", "", "dataset name of the result (default LEFT_RIGHT)")
	f.StringVar(&out, "out", "", "write the result to FILE (.parquet, .csv or .tsv)")
	f.BoolVar(&planOnly, "plan", false, "only print the plan (matched and unmatched counts); write nothing")
	f.IntVar(&maxRows, "max-rows", defaultMergeMaxRows, "fail rather than build a result of more rows than this (memory guard against many-to-many keys; 0 = no limit)")
	f.BoolVar(&asJSON, "json", false, "print JSON (documented above)")
	return cmd
}

// defaultMergeMaxRows bounds a merge's result (see merge.DefaultMaxRows).
const defaultMergeMaxRows = merge.DefaultMaxRows

// thousands formats n with commas: 1,234,567.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func baseName(ref string) string {
	if at := strings.LastIndexByte(ref, '@'); at > 0 {
		return ref[:at]
	}
	return workspace.DatasetName(ref)
}

func planJSON(st merge.Stats) MergePlanJSON {
	tm := st.TypeMismatch
	if tm == nil {
		tm = []string{}
	}
	return MergePlanJSON{
		LeftRows: st.LeftRows, RightRows: st.RightRows,
		LeftMatched: st.LeftMatched, LeftUnmatched: st.LeftUnmatched,
		RightMatched: st.RightMatched, RightUnmatched: st.RightUnmatched,
		LeftNullKeys: st.LeftNullKeys, RightNullKeys: st.RightNullKeys,
		Pairs: st.Pairs, ResultRows: st.ResultRows, TypeMismatch: tm,
	}
}

func printPlan(w io.Writer, res MergeJSON) {
	p := res.Plan
	side := func(label, name string, rows, matched, unmatched, nulls int) {
		fmt.Fprintf(w, "%-5s %s: %d rows, %d matched, %d unmatched", label, name, rows, matched, unmatched)
		if nulls > 0 {
			fmt.Fprintf(w, " (%d with a missing key)", nulls)
		}
		fmt.Fprintln(w)
	}
	keys := strings.Join(res.LeftOn, ",")
	if strings.Join(res.RightOn, ",") != keys {
		keys += " = " + strings.Join(res.RightOn, ",")
	}
	fmt.Fprintf(w, "%s join on %s\n", res.How, keys)
	side("left", res.Left, p.LeftRows, p.LeftMatched, p.LeftUnmatched, p.LeftNullKeys)
	side("right", res.Right, p.RightRows, p.RightMatched, p.RightUnmatched, p.RightNullKeys)
	for _, m := range p.TypeMismatch {
		fmt.Fprintf(w, "type mismatch: %s\n", m)
	}
	fmt.Fprintf(w, "result: %d rows (%d matched pairs)\n", p.ResultRows, p.Pairs)
}
