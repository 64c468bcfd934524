package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/match"
	"github.com/spf13/cobra"
)

// MatchJSON is the documented output of "mlwb match --json".
type MatchJSON struct {
	Left        string           `json:"left"`
	Right       string           `json:"right"`
	Dedupe      bool             `json:"dedupe"`
	LeftRows    int              `json:"left_rows"`
	RightRows   int              `json:"right_rows"`
	Fields      []MatchFieldJSON `json:"fields"`
	Threshold   float64          `json:"threshold"`
	ReviewBand  *[2]float64      `json:"review_band,omitempty"`
	Candidates  int64            `json:"candidates"`
	Comparisons int64            `json:"comparisons"`
	Matches     int              `json:"matches"`
	Review      int              `json:"review"`
	Clusters    *int             `json:"clusters,omitempty"`
	Seconds     float64          `json:"seconds"`
	Gold        *MatchGoldJSON   `json:"gold,omitempty"`
	Pairs       []MatchPairJSON  `json:"pairs"`
	Truncated   bool             `json:"truncated"`
}

// MatchFieldJSON describes one compared field in MatchJSON.
type MatchFieldJSON struct {
	Name   string  `json:"name"`
	Left   string  `json:"left"`
	Right  string  `json:"right"`
	Sim    string  `json:"sim"`
	Weight float64 `json:"weight"`
}

// MatchPairJSON is one scored pair in MatchJSON. Fields maps each field's
// name to its similarity, null when a value is missing.
type MatchPairJSON struct {
	Left   int                 `json:"left"`
	Right  int                 `json:"right"`
	Score  float64             `json:"score"`
	Status string              `json:"status"`
	Fields map[string]*float64 `json:"fields"`
}

// MatchPairsJSON is the pair list of MatchJSON. It encodes itself without
// reflection: PATSTAT's dedupe prints over 200,000 pairs.
type MatchPairsJSON []MatchPairJSON

// MarshalJSON implements json.Marshaler. Field names keep the order of
// first appearance in each pair's map, sorted as encoding/json does.
func (ps MatchPairsJSON) MarshalJSON() ([]byte, error) {
	keyCache := map[string][]byte{}
	quoted := func(k string) ([]byte, error) {
		if q, ok := keyCache[k]; ok {
			return q, nil
		}
		q, err := json.Marshal(k)
		keyCache[k] = q
		return q, err
	}
	b := make([]byte, 0, 96*len(ps)+2)
	b = append(b, '[')
	var keys []string
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"left":`...)
		b = strconv.AppendInt(b, int64(p.Left), 10)
		b = append(b, `,"right":`...)
		b = strconv.AppendInt(b, int64(p.Right), 10)
		b = append(b, `,"score":`...)
		b = strconv.AppendFloat(b, p.Score, 'g', -1, 64)
		b = append(b, `,"status":`...)
		q, err := quoted(p.Status)
		if err != nil {
			return nil, err
		}
		b = append(b, q...)
		b = append(b, `,"fields":{`...)
		keys = keys[:0]
		for k := range p.Fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for j, k := range keys {
			if j > 0 {
				b = append(b, ',')
			}
			q, err := quoted(k)
			if err != nil {
				return nil, err
			}
			b = append(b, q...)
			b = append(b, ':')
			if v := p.Fields[k]; v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendFloat(b, *v, 'g', -1, 64)
			}
		}
		b = append(b, "}}"...)
	}
	return append(b, ']'), nil
}

// MatchGoldJSON holds pairwise scores against a gold key column.
type MatchGoldJSON struct {
	Column    string  `json:"column"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	TP        int64   `json:"tp"`
	FP        int64   `json:"fp"`
	FN        int64   `json:"fn"`
}

type matchFlags struct {
	on         []string
	threshold  float64
	review     string
	dedupe     bool
	oneToOne   bool
	block      string
	blockOn    []string
	maxBlock   int
	window     int
	prefix     int
	limit      int
	maxPairs   int
	out        string
	merged     string
	gold       string
	asJSON     bool
	dir        string
	rf         readFlags
	limitGiven bool
}

func newMatchCmd(e *env) *cobra.Command {
	var mf matchFlags
	cmd := &cobra.Command{
		Use:   "match A [B]",
		Short: "Find records that refer to the same entity, in two tables or within one",
		Long: `Fuzzy record matching. A and B are data files (any format "mlwb info" reads) or
workspace datasets ("name" or "name@N"; an existing file wins). With one table,
the same table twice, or --dedupe, the table is matched against itself
(deduplication): pairs i < j, never a row with itself.

--on lists the compared fields, comma-separated or repeated:
  LEFT[=RIGHT][:SIM[:WEIGHT]]
RIGHT defaults to LEFT; SIM is auto (numeric columns: numeric, else tokenset),
jw (Jaro–Winkler), levenshtein (normalised), tokenset (rapidfuzz's
token_set_ratio), numeric (1 − |x−y|/max(|x|,|y|); text like "$1,299" is
parsed) or exact; WEIGHT defaults to 1. Text is compared lower-cased, without
accents and punctuation. A pair's score is the weighted mean of the fields
present on both sides; pairs scoring ≥ --threshold match.

Blocking keeps it from comparing all n × m pairs: records are compared when
they share a token or a 4-letter token prefix (blocks larger than --max-block
records are skipped), or are within --window of each other when sorted by
their text (--block auto, the default; or tokens, prefix, neighbours, full).

Outputs: --out FILE writes the match table (left, right, score, status, one
score_<field> per field, and the compared values; .csv or .parquet), --merged
FILE the merged dataset (linking: every A row with the columns of its best
match in B; dedupe: A with cluster and cluster_size columns). --gold COL
scores the pairs against a key column present in both tables (same key =
same entity) and prints precision, recall and F1.

JSON output (--json, one line; pairs by descending score, at most --limit when given):
  {"left": A, "right": B, "dedupe": false, "left_rows": N, "right_rows": M,
   "fields": [{"name", "left", "right", "sim", "weight"}], "threshold": X,
   "review_band": [LO, HI] (when set), "candidates": N, "comparisons": N,
   "matches": N, "review": N, "clusters": N (dedupe), "seconds": S,
   "gold": {"column", "precision", "recall", "f1", "tp", "fp", "fn"} (with --gold),
   "pairs": [{"left": i, "right": j, "score": s, "status": "auto|review",
              "fields": {"NAME": s or null}}], "truncated": false}
Row numbers count data rows from 0. "candidates" is the number of record pairs
blocking proposed; "comparisons" the similarity computations made (identical
records are compared once).`,
		Example: `  mlwb match customers.csv --on name,city --dedupe
  mlwb match abt.csv buy.csv --on title:tokenset:3,price:numeric --threshold 0.5 --one-to-one
  mlwb match people crm -w proj --on name=full_name:jw,email:exact --out pairs.parquet --json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			mf.limitGiven = cmd.Flags().Changed("limit")
			return runMatch(cmd.Context(), e, args, &mf)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&mf.on, "on", nil, "fields to compare: LEFT[=RIGHT][:SIM[:WEIGHT]], comma-separated (required)")
	f.Float64Var(&mf.threshold, "threshold", match.DefaultThreshold, "score in (0, 1] at or above which a pair matches")
	f.StringVar(&mf.review, "review", "", "review band LO,HI: pairs with LO ≤ score < HI are kept with status review")
	f.BoolVar(&mf.dedupe, "dedupe", false, "match A against itself")
	f.BoolVar(&mf.oneToOne, "one-to-one", false, "linking: keep at most one partner per record (greedy by score)")
	f.StringVar(&mf.block, "block", "auto", "blocking: auto, tokens, prefix, neighbours or full (all pairs)")
	f.StringSliceVar(&mf.blockOn, "block-on", nil, "left field names to build blocking keys from (default: the text fields compared)")
	f.IntVar(&mf.maxBlock, "max-block", 0, "skip blocking keys shared by more records than this (default 300)")
	f.IntVar(&mf.window, "window", 0, "sorted-neighbourhood window (default 5; -1 off)")
	f.IntVar(&mf.prefix, "prefix", 0, "prefix length for prefix keys (default 4)")
	f.IntVar(&mf.maxPairs, "max-pairs", match.DefaultMaxPairs, "fail rather than keep more record pairs than this (memory guard)")
	f.IntVar(&mf.limit, "limit", 20, "pairs to print (human output; JSON prints all unless --limit is given; 0 = all)")
	f.StringVar(&mf.out, "out", "", "write the match table to FILE (.csv or .parquet)")
	f.StringVar(&mf.merged, "merged", "", "write the merged dataset to FILE (.csv or .parquet)")
	f.StringVar(&mf.gold, "gold", "", "key column in both tables for precision/recall/F1 (not compared)")
	f.BoolVar(&mf.asJSON, "json", false, "print JSON (documented above)")
	f.StringVarP(&mf.dir, "workspace", "w", "", "workspace to find datasets in (default: the one containing the current folder)")
	mf.rf.add(cmd)
	return cmd
}

// parseMatchOn parses the --on specs.
func parseMatchOn(specs []string) ([]match.Field, error) {
	if len(specs) == 0 {
		return nil, fmt.Errorf("--on is required: the fields to compare, e.g. --on name or --on title=name:jw")
	}
	f, err := match.ParseFields(specs...)
	if err != nil {
		return nil, fmt.Errorf("--on: %w", err)
	}
	return f, nil
}

func parseMatchBand(s string) (match.Band, error) {
	b, err := match.ParseBand(s)
	if err != nil {
		return b, fmt.Errorf("--review: %w", err)
	}
	return b, nil
}

// loadMatchInput reads a file, or a workspace dataset ("name" or "name@N").
func loadMatchInput(ctx context.Context, e *env, arg, dir string, opt dataio.Options, quiet bool) (*frame.Frame, string, error) {
	in, err := resolveInput(dir, arg)
	if err != nil {
		return nil, "", err
	}
	return loadInput(ctx, e, in, opt, quiet)
}

func runMatch(ctx context.Context, e *env, args []string, mf *matchFlags) error {
	fields, err := parseMatchOn(mf.on)
	if err != nil {
		return err
	}
	band, err := parseMatchBand(mf.review)
	if err != nil {
		return err
	}
	if !(mf.threshold > 0 && mf.threshold <= 1) {
		return fmt.Errorf("--threshold %v: want a score in (0, 1]", mf.threshold)
	}
	method, err := match.ParseBlockMethod(mf.block)
	if err != nil {
		return fmt.Errorf("--block: %w", err)
	}
	if mf.maxBlock < 0 || mf.prefix < 0 || mf.limit < 0 || mf.maxPairs < 0 {
		return fmt.Errorf("--max-block, --prefix, --limit and --max-pairs must not be negative")
	}
	opt, err := mf.rf.options()
	if err != nil {
		return err
	}
	for _, p := range []string{mf.out, mf.merged} {
		if p != "" {
			if err := checkMatchOut(p); err != nil {
				return err
			}
		}
	}
	dedupe := mf.dedupe || len(args) == 1 || (len(args) == 2 && args[0] == args[1])
	if mf.dedupe && len(args) == 2 && args[0] != args[1] {
		return fmt.Errorf("--dedupe matches one table against itself, but two different tables were given (%s, %s)", args[0], args[1])
	}
	a, aLabel, err := loadMatchInput(ctx, e, args[0], mf.dir, opt, mf.asJSON)
	if err != nil {
		return err
	}
	b, bLabel := a, aLabel
	if !dedupe {
		if b, bLabel, err = loadMatchInput(ctx, e, args[1], mf.dir, opt, mf.asJSON); err != nil {
			return err
		}
	}
	var goldA, goldB []string
	if mf.gold != "" {
		if goldA, err = matchKeyColumn(a, mf.gold, aLabel); err != nil {
			return err
		}
		if goldB, err = matchKeyColumn(b, mf.gold, bLabel); err != nil {
			return err
		}
	}
	cfg := match.Config{
		Fields:     fields,
		Threshold:  mf.threshold,
		ReviewBand: band,
		OneToOne:   mf.oneToOne,
		MaxPairs:   mf.maxPairs,
		Blocking:   match.Blocking{Method: method, Fields: mf.blockOn, MaxBlock: mf.maxBlock, Window: mf.window, PrefixLen: mf.prefix},
	}
	bar := newProgress(e.stderr, "matching", mf.asJSON)
	cfg.Progress = bar.Update
	start := time.Now()
	var res *match.Result
	if dedupe {
		res, err = match.Dedupe(ctx, a, cfg)
	} else {
		res, err = match.Link(ctx, a, b, cfg)
	}
	bar.Done()
	if err != nil {
		return matchNameTables(err, aLabel, bLabel)
	}
	secs := time.Since(start).Seconds()

	out := MatchJSON{
		Left: aLabel, Right: bLabel, Dedupe: dedupe, LeftRows: a.NumRows(), RightRows: b.NumRows(),
		Threshold: res.Threshold, Candidates: res.Candidates, Comparisons: res.Comparisons, Seconds: secs,
	}
	if !band.Empty() {
		out.ReviewBand = &[2]float64{band.Lo, band.Hi}
	}
	counts := res.Counts()
	out.Matches, out.Review = counts[match.Auto]+counts[match.Accepted], counts[match.Review]
	names := matchFieldKeys(res.Fields)
	for i, f := range res.Fields {
		out.Fields = append(out.Fields, MatchFieldJSON{Name: names[i], Left: f.Left, Right: f.Right, Sim: f.Sim.String(), Weight: f.Weight})
	}
	if dedupe {
		n := matchClusterCount(res.Clusters())
		out.Clusters = &n
	}
	if mf.gold != "" {
		s, err := match.EvaluatePairs(res.Matches(), goldA, goldB, dedupe)
		if err != nil {
			return err
		}
		out.Gold = &MatchGoldJSON{Column: mf.gold, Precision: s.Precision, Recall: s.Recall, F1: s.F1, TP: s.TP, FP: s.FP, FN: s.FN}
	}
	limit := len(res.Pairs)
	if (!mf.asJSON || mf.limitGiven) && mf.limit > 0 {
		limit = min(limit, mf.limit)
	}
	out.Truncated = limit < len(res.Pairs)
	out.Pairs = make(MatchPairsJSON, 0, limit)
	for _, p := range res.Pairs[:limit] {
		pj := MatchPairJSON{Left: p.Left, Right: p.Right, Score: p.Score, Status: p.Status.String(), Fields: map[string]*float64{}}
		for k, s := range p.FieldScores {
			if !math.IsNaN(s) {
				v := s
				pj.Fields[names[k]] = &v
			} else {
				pj.Fields[names[k]] = nil
			}
		}
		out.Pairs = append(out.Pairs, pj)
	}

	if mf.out != "" {
		t, err := res.Frame(a, b)
		if err != nil {
			return err
		}
		if err := writeFrameFile(mf.out, t); err != nil {
			return err
		}
	}
	if mf.merged != "" {
		m, err := res.Merge(a, b)
		if err != nil {
			return err
		}
		if err := writeFrameFile(mf.merged, m); err != nil {
			return err
		}
	}
	if mf.asJSON {
		// One line: indenting 200,000 pairs would triple the output.
		bw := bufio.NewWriterSize(e.stdout, 1<<16)
		if err := json.NewEncoder(bw).Encode(out); err != nil {
			return err
		}
		return bw.Flush()
	}
	printMatchResult(e.stdout, out, res, a, b)
	if mf.out != "" {
		fmt.Fprintf(e.stdout, "Match table (%d pairs) written to %s\n", len(res.Pairs), mf.out)
	}
	if mf.merged != "" {
		fmt.Fprintf(e.stdout, "Merged dataset written to %s\n", mf.merged)
	}
	return nil
}

// matchNameTables puts the table labels into the engine's "left table"/"right
// table" wording.
func matchNameTables(err error, a, b string) error {
	var fe *match.FieldError
	if errors.As(err, &fe) {
		c := *fe
		switch c.Table {
		case "left table":
			c.Table = a
		case "right table":
			c.Table = b
		}
		return &c
	}
	if errors.Is(err, match.ErrEmpty) {
		msg := strings.NewReplacer("the left table", a, "the right table", b).Replace(err.Error())
		return errors.New(msg)
	}
	return err
}

// matchFieldKeys names each field for JSON: its Name, or Name:sim when the same
// columns are compared twice.
func matchFieldKeys(fs []match.Field) []string {
	count := map[string]int{}
	for _, f := range fs {
		count[f.Name()]++
	}
	out := make([]string, len(fs))
	seen := map[string]bool{}
	for i, f := range fs {
		k := f.Name()
		if count[k] > 1 {
			k += ":" + f.Sim.String()
		}
		for base, n := k, 2; seen[k]; n++ {
			k = fmt.Sprintf("%s#%d", base, n)
		}
		seen[k] = true
		out[i] = k
	}
	return out
}

func matchClusterCount(lab []int) int {
	n := 0
	for i, l := range lab {
		if l == i {
			n++
		}
	}
	return n
}

func matchKeyColumn(f *frame.Frame, name, label string) ([]string, error) {
	c, err := f.Column(name)
	if err != nil {
		return nil, fmt.Errorf("--gold: no column %q in %s (columns: %s)", name, label, strings.Join(f.Names(), ", "))
	}
	out := make([]string, f.NumRows())
	for i := range out {
		out[i] = c.Format(i)
	}
	return out, nil
}

func checkMatchOut(p string) error {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".csv", ".parquet":
	default:
		return fmt.Errorf("%s: output must end in .csv or .parquet", p)
	}
	if fi, err := os.Stat(filepath.Dir(p)); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: folder %s does not exist", p, filepath.Dir(p))
	}
	return nil
}

func matchClip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func printMatchResult(w io.Writer, out MatchJSON, res *match.Result, a, b *frame.Frame) {
	total := float64(out.LeftRows) * float64(out.RightRows)
	what := fmt.Sprintf("%s (%d rows) × %s (%d rows)", out.Left, out.LeftRows, out.Right, out.RightRows)
	if out.Dedupe {
		total = float64(out.LeftRows) * float64(out.LeftRows-1) / 2
		what = fmt.Sprintf("%s (%d rows) against itself", out.Left, out.LeftRows)
	}
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(out.Candidates) / total
	}
	fmt.Fprintf(w, "%s: %d candidate pairs (%.2f%% of all), %d comparisons, %.2fs\n", what, out.Candidates, pct, out.Comparisons, out.Seconds)
	fmt.Fprintf(w, "%d matches at threshold %g", out.Matches, out.Threshold)
	if out.ReviewBand != nil {
		fmt.Fprintf(w, ", %d to review in [%g, %g)", out.Review, out.ReviewBand[0], out.ReviewBand[1])
	}
	if out.Clusters != nil {
		fmt.Fprintf(w, ", %d clusters", *out.Clusters)
	}
	fmt.Fprintln(w)
	if out.Gold != nil {
		g := out.Gold
		fmt.Fprintf(w, "against %s: precision %.4f, recall %.4f, F1 %.4f (TP %d, FP %d, FN %d)\n", g.Column, g.Precision, g.Recall, g.F1, g.TP, g.FP, g.FN)
	}
	if len(out.Pairs) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	hdr := "score\tstatus\tleft\tright"
	seen := map[string]bool{}
	type col struct{ l, r frame.Column }
	var cols []col
	for _, f := range res.Fields {
		key := f.Left + "\x00" + f.Right
		if seen[key] {
			continue
		}
		seen[key] = true
		lc, _ := a.Column(f.Left)
		rc, _ := b.Column(f.Right)
		cols = append(cols, col{lc, rc})
		if f.Left == f.Right {
			hdr += fmt.Sprintf("\t%s (left)\t%s (right)", f.Left, f.Right)
		} else {
			hdr += fmt.Sprintf("\t%s\t%s", f.Left, f.Right)
		}
	}
	fmt.Fprintln(tw, hdr)
	width := max(12, 60/max(1, len(cols)))
	for _, p := range out.Pairs {
		line := fmt.Sprintf("%.4f\t%s\t%d\t%d", p.Score, p.Status, p.Left, p.Right)
		for _, c := range cols {
			line += "\t" + matchClip(c.l.Format(p.Left), width) + "\t" + matchClip(c.r.Format(p.Right), width)
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	if out.Truncated {
		fmt.Fprintf(w, "… %d more pairs (--limit 0 shows all, --out FILE writes them)\n", len(res.Pairs)-len(out.Pairs))
	}
}
