package match

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

func people() (*frame.Frame, *frame.Frame) {
	a := frame.MustNew(
		frame.NewString("name", []string{"Akzo Nobel N.V.", "Unilever", "Royal Philips", "Shell Oil"}, frame.Mask{}),
		frame.NewFloat64("price", []float64{10, 20, 30, math.NaN()}, frame.Mask{}),
	)
	b := frame.MustNew(
		frame.NewString("company", []string{"PHILIPS ROYAL", "akzo  nobel", "Unilver", "Tesla", "Shell"}, frame.Mask{}),
		frame.NewString("cost", []string{"$31.00", "$10", "", "$99", "n/a"}, frame.MaskFromMissing([]bool{false, false, true, false, false})),
	)
	return a, b
}

func TestLinkSmall(t *testing.T) {
	a, b := people()
	cfg := Config{
		Fields:    []Field{{Left: "name", Right: "company", Sim: SimTokenSet, Weight: 3}, {Left: "price", Right: "cost", Sim: SimNumeric}},
		Threshold: 0.8,
		Blocking:  Blocking{Method: BlockFull},
	}
	res, err := Link(context.Background(), a, b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Candidates != 20 || res.Comparisons != 20 {
		t.Errorf("full blocking: candidates %d comparisons %d, want 20 and 20", res.Candidates, res.Comparisons)
	}
	got := map[[2]int]float64{}
	for _, p := range res.Pairs {
		got[[2]int{p.Left, p.Right}] = p.Score
	}
	// Akzo: tokens {akzo, n, nobel, v} ⊇ {akzo, nobel} → 1;
	// price 10 vs 10 → 1; score (3+1)/4 = 1.
	// Philips: tokens equal → 1; 30 vs 31 → 1 − 1/31; score (3 + 30/31)/4.
	// Unilever/Unilver: token set = Ratio("unilever","unilver") = 14/15;
	// price missing on the right → name only.
	// Shell Oil/Shell: subset → 1; price missing on the left → 1.
	want := map[[2]int]float64{
		{0, 1}: 1,
		{2, 0}: (3 + 30.0/31) / 4,
		{1, 2}: 14.0 / 15,
		{3, 4}: 1,
	}
	if len(got) != len(want) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || math.Abs(g-w) > 1e-12 {
			t.Errorf("pair %v: score %v (found %v), want %v", k, g, ok, w)
		}
	}
	for i := 1; i < len(res.Pairs); i++ {
		if res.Pairs[i].Score > res.Pairs[i-1].Score {
			t.Fatalf("pairs not by descending score: %v", res.Pairs)
		}
	}
	for _, p := range res.Pairs {
		if p.Left == 1 && !math.IsNaN(p.FieldScores[1]) {
			t.Errorf("missing price should give a NaN field score, got %v", p.FieldScores[1])
		}
	}

	// The default blocking finds the same pairs without comparing all 20.
	cfg.Blocking = Blocking{}
	res2, err := Link(context.Background(), a, b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res2.Pairs) != len(res.Pairs) {
		t.Errorf("blocked link found %d pairs, full found %d", len(res2.Pairs), len(res.Pairs))
	}
	if res2.Comparisons >= 20 {
		t.Errorf("blocking compared %d pairs of 20", res2.Comparisons)
	}
}

func TestDedupeClustersAndMerge(t *testing.T) {
	names := []string{"ACME Corp", "Acme corp.", "Globex", "ACME CORP", "Initech", "Globex Inc", "", "acme-corp"}
	miss := make([]bool, len(names))
	miss[6] = true
	f := frame.MustNew(frame.NewString("n", names, frame.MaskFromMissing(miss)), frame.NewInt64("id", []int64{1, 2, 3, 4, 5, 6, 7, 8}, frame.Mask{}))
	res, err := Dedupe(context.Background(), f, Config{Fields: []Field{{Left: "n"}}, Threshold: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Pairs {
		if p.Left >= p.Right {
			t.Errorf("dedupe pair (%d, %d) not ordered", p.Left, p.Right)
		}
	}
	// "acme corp" ×3 identical after normalising (3 pairs, score 1); "acme-corp"
	// → "acme corp" too: 4 rows, 6 pairs; Globex ⊂ Globex Inc → 1.
	if len(res.Pairs) != 7 {
		t.Errorf("%d pairs, want 7: %v", len(res.Pairs), res.Pairs)
	}
	if res.Candidates < 7 {
		t.Errorf("candidates %d < pairs", res.Candidates)
	}
	cl := res.Clusters()
	want := []int{0, 0, 2, 0, 4, 2, 6, 0}
	for i := range want {
		if cl[i] != want[i] {
			t.Fatalf("clusters %v, want %v", cl, want)
		}
	}
	m, err := res.Merge(f, f)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumRows() != f.NumRows() || m.Index("cluster") < 0 || m.Index("cluster_size") < 0 {
		t.Fatalf("merge: %v rows, columns %v", m.NumRows(), m.Names())
	}
	if c, _ := m.Column("cluster_size"); c.Format(0) != "4" || c.Format(4) != "1" {
		t.Errorf("cluster sizes %q %q, want 4 and 1", c.Format(0), c.Format(4))
	}
	gold := []string{"acme", "acme", "globex", "acme", "initech", "globex", "x", "acme"}
	s, err := EvaluateClusters(cl, gold)
	if err != nil {
		t.Fatal(err)
	}
	if s.F1 != 1 || s.TP != 7 {
		t.Errorf("EvaluateClusters = %v, want perfect with 7 pairs", s)
	}
}

func TestReviewBandAndDecisions(t *testing.T) {
	a, b := people()
	cfg := Config{
		Fields:     []Field{{Left: "name", Right: "company", Sim: SimTokenSet}},
		Threshold:  0.95,
		ReviewBand: Band{0.9, 0.95},
	}
	res, err := Link(context.Background(), a, b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := res.ReviewQueue()
	if len(q) != 1 || res.Pairs[q[0]].Left != 1 || res.Pairs[q[0]].Right != 2 {
		t.Fatalf("review queue %v over %v, want the Unilever pair (14/15 in [0.9, 0.95))", q, res.Pairs)
	}
	if c := res.Counts(); c[Auto] != 3 || c[Review] != 1 {
		t.Errorf("counts %v, want 3 auto and 1 review", c)
	}
	if len(res.Matches()) != 3 {
		t.Errorf("%d matches before review, want 3", len(res.Matches()))
	}
	if err := res.SetStatus(q[0], Accepted); err != nil {
		t.Fatal(err)
	}
	if err := res.SetStatus(q[0], Auto); err == nil {
		t.Error("setting Auto by hand should fail")
	}
	if err := res.SetStatus(99, Rejected); err == nil {
		t.Error("out of range pair should fail")
	}
	if len(res.Matches()) != 4 {
		t.Errorf("%d matches after accepting, want 4", len(res.Matches()))
	}
	ds := res.Decisions()
	if len(ds) != 1 || ds[0].StatusName != "accepted" {
		t.Fatalf("decisions %v", ds)
	}
	again, _ := Link(context.Background(), a, b, cfg)
	if n, err := again.Apply([]Decision{{Left: 1, Right: 2, StatusName: "rejected"}, {Left: 0, Right: 3, StatusName: "accepted"}}); err != nil || n != 1 {
		t.Fatalf("Apply = %d, %v; want 1 applied", n, err)
	}
	if len(again.ReviewQueue()) != 0 {
		t.Error("review queue should be empty after rejecting")
	}
	if len(again.Matches()) != 3 {
		t.Errorf("%d matches after rejecting, want 3", len(again.Matches()))
	}

	// Match table and merged dataset.
	mt, err := res.Frame(a, b)
	if err != nil {
		t.Fatal(err)
	}
	wantCols := "left,right,score,status,score_name=company,left_name,right_company"
	if got := strings.Join(mt.Names(), ","); got != wantCols {
		t.Errorf("match table columns %s, want %s", got, wantCols)
	}
	if st, _ := mt.Column("status"); st.Format(mt.NumRows()-1) != "accepted" {
		t.Errorf("last pair status %q, want accepted", st.Format(mt.NumRows()-1))
	}
	mg, err := res.Merge(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if mg.NumRows() != a.NumRows() {
		t.Fatalf("merged rows %d, want %d", mg.NumRows(), a.NumRows())
	}
	co, _ := mg.Column("company")
	if co.Format(0) != "akzo  nobel" || co.Format(1) != "Unilver" || co.Format(2) != "PHILIPS ROYAL" {
		t.Errorf("merged company = %q %q %q", co.Format(0), co.Format(1), co.Format(2))
	}
	if _, err := res.Frame(b, a); err == nil {
		t.Error("Frame with the wrong tables should fail")
	}
}

func TestProgress(t *testing.T) {
	a, b := people()
	var last, total int64
	cfg := Config{Fields: []Field{{Left: "name", Right: "company"}}, Progress: func(d, n int64) { last, total = d, n }}
	if _, err := Link(context.Background(), a, b, cfg); err != nil {
		t.Fatal(err)
	}
	if total != 4 || last != total {
		t.Errorf("last progress %d of %d, want 4 of 4", last, total)
	}
}

func TestOneToOne(t *testing.T) {
	a := frame.MustNew(frame.NewString("t", []string{"sony tv 40", "sony tv 42"}, frame.Mask{}))
	b := frame.MustNew(frame.NewString("t", []string{"sony tv 40", "sony tv"}, frame.Mask{}))
	res, err := Link(context.Background(), a, b, Config{Fields: []Field{{Left: "t", Sim: SimLevenshtein}}, Threshold: 0.5, OneToOne: true})
	if err != nil {
		t.Fatal(err)
	}
	// Greedy: (0,0)=1 first; then (1,1): 1 − 3/10 = 0.7; (1,0) and (0,1) are taken.
	if len(res.Pairs) != 2 || res.Pairs[0].Left != 0 || res.Pairs[0].Right != 0 || res.Pairs[1].Left != 1 || res.Pairs[1].Right != 1 {
		t.Errorf("one-to-one pairs %v", res.Pairs)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	a, b := people()
	_, err := Link(ctx, a, b, Config{Fields: []Field{{Left: "nme", Right: "company"}}})
	var fe *FieldError
	if !errors.As(err, &fe) || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), `"nme"`) || !strings.Contains(err.Error(), "name, price") {
		t.Errorf("unknown left field: %v", err)
	}
	_, err = Link(ctx, a, b, Config{Fields: []Field{{Left: "name"}}})
	if err == nil || !strings.Contains(err.Error(), `no column "name" in right table (columns: company, cost)`) {
		t.Errorf("unknown right field: %v", err)
	}
	if _, err = Link(ctx, a, b, Config{}); !errors.Is(err, ErrConfig) {
		t.Errorf("no fields: %v", err)
	}
	empty := a.Slice(0, 0)
	if _, err = Link(ctx, empty, b, Config{Fields: []Field{{Left: "name", Right: "company"}}}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty left: %v", err)
	}
	if _, err = Dedupe(ctx, empty, Config{Fields: []Field{{Left: "name"}}}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty dedupe: %v", err)
	}
	allNA := frame.MustNew(frame.NewString("name", []string{"", "  ", "--"}, frame.MaskFromMissing([]bool{true, false, false})))
	_, err = Dedupe(ctx, allNA, Config{Fields: []Field{{Left: "name"}}})
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "every value is missing") {
		t.Errorf("all-missing field: %v", err)
	}
	words := frame.MustNew(frame.NewString("price", []string{"cheap", "dear"}, frame.Mask{}))
	_, err = Dedupe(ctx, words, Config{Fields: []Field{{Left: "price", Sim: SimNumeric}}})
	if err == nil || !strings.Contains(err.Error(), "no value is a number") {
		t.Errorf("numeric on text: %v", err)
	}
	for _, th := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err = Link(ctx, a, b, Config{Fields: []Field{{Left: "name", Right: "company"}}, Threshold: th}); !errors.Is(err, ErrConfig) {
			t.Errorf("threshold %v: %v", th, err)
		}
	}
	if _, err = Link(ctx, a, b, Config{Fields: []Field{{Left: "name", Right: "company", Weight: -1}}}); !errors.Is(err, ErrConfig) {
		t.Errorf("negative weight: %v", err)
	}
	if _, err = Link(ctx, a, b, Config{Fields: []Field{{Left: "name", Right: "company"}}, Blocking: Blocking{Fields: []string{"zzz"}}}); !errors.Is(err, ErrConfig) {
		t.Errorf("unknown blocking field: %v", err)
	}
	same := frame.MustNew(frame.NewString("city", []string{"Paris", "paris", "PARIS ", "Lyon", "lyon"}, frame.Mask{}))
	_, err = Dedupe(ctx, same, Config{Fields: []Field{{Left: "city"}}, MaxPairs: 3})
	var tm *TooManyPairsError
	if !errors.As(err, &tm) || tm.Pairs != 4 || tm.Max != 3 {
		t.Errorf("too many pairs: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err = Link(cctx, a, b, Config{Fields: []Field{{Left: "name", Right: "company"}}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestParseNames(t *testing.T) {
	for k := SimAuto; k <= SimExact; k++ {
		if got, err := ParseSimKind(k.String()); err != nil || got != k {
			t.Errorf("ParseSimKind(%q) = %v, %v", k, got, err)
		}
	}
	for m := BlockTokensAndNeighbours; m <= BlockFull; m++ {
		if got, err := ParseBlockMethod(m.String()); err != nil || got != m {
			t.Errorf("ParseBlockMethod(%q) = %v, %v", m, got, err)
		}
	}
	for s := Auto; s <= Rejected; s++ {
		if got, err := ParseStatus(s.String()); err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSimKind("soundex"); err == nil {
		t.Error("ParseSimKind accepted soundex")
	}
}

func TestEvaluatePairs(t *testing.T) {
	// Link: keys a = [x y z], b = [y x x w]: gold pairs (0,1) (0,2) (1,0) = 3.
	pairs := []Pair{{Left: 0, Right: 1}, {Left: 1, Right: 0}, {Left: 2, Right: 3}, {Left: 0, Right: 1}}
	s, err := EvaluatePairs(pairs, []string{"x", "y", "z"}, []string{"y", "x", "x", "w"}, false)
	if err != nil {
		t.Fatal(err)
	}
	// Duplicates count once: 3 predicted, TP 2, FP 1, FN 1.
	if s.TP != 2 || s.FP != 1 || s.FN != 1 || math.Abs(s.F1-2.0/3) > 1e-12 {
		t.Errorf("EvaluatePairs = %+v", s)
	}
	if _, err := EvaluatePairs([]Pair{{Left: 5, Right: 0}}, []string{"x"}, []string{"x"}, false); err == nil {
		t.Error("out-of-range pair accepted")
	}
	// Dedupe: keys [a a a b]: gold C(3,2) = 3 pairs.
	s, _ = EvaluatePairs([]Pair{{Left: 0, Right: 1}, {Left: 2, Right: 3}}, []string{"a", "a", "a", "b"}, nil, true)
	if s.TP != 1 || s.FP != 1 || s.FN != 2 {
		t.Errorf("EvaluatePairs dedupe = %+v", s)
	}
	// Clusters [0 0 1 1] vs gold [a a a b]: predicted 2 pairs, TP 1, gold 3.
	s, _ = EvaluateClusters([]int{0, 0, 1, 1}, []string{"a", "a", "a", "b"})
	if s.TP != 1 || s.FP != 1 || s.FN != 2 || math.Abs(s.Precision-0.5) > 1e-12 || math.Abs(s.Recall-1.0/3) > 1e-12 {
		t.Errorf("EvaluateClusters = %+v", s)
	}
}

func TestParseFieldsAndBand(t *testing.T) {
	fs, err := ParseFields("name=company:jw:2, price:numeric", "city")
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{{Left: "name", Right: "company", Sim: SimJaroWinkler, Weight: 2}, {Left: "price", Sim: SimNumeric}, {Left: "city"}}
	if len(fs) != len(want) {
		t.Fatalf("ParseFields = %+v", fs)
	}
	for i := range want {
		if fs[i] != want[i] {
			t.Errorf("field %d = %+v, want %+v", i, fs[i], want[i])
		}
	}
	for _, bad := range []string{"", " , ", "a:jw:1:2", "=b", "a=b=c", "a:soundex", "a:jw:0", "a:jw:x", "a:jw:-1"} {
		if _, err := ParseFields(bad); err == nil {
			t.Errorf("ParseFields(%q) accepted", bad)
		}
	}
	if b, err := ParseBand(" 0.7, 0.85"); err != nil || b != (Band{0.7, 0.85}) {
		t.Errorf("ParseBand = %v, %v", b, err)
	}
	if b, err := ParseBand(""); err != nil || !b.Empty() {
		t.Errorf("ParseBand(\"\") = %v, %v", b, err)
	}
	for _, bad := range []string{"0.9", "0.9,0.8", "-1,0.5", "0.5,2", "a,b"} {
		if _, err := ParseBand(bad); err == nil {
			t.Errorf("ParseBand(%q) accepted", bad)
		}
	}
}
