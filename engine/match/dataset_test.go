package match

import (
	"context"
	"testing"
)

// PATSTAT (dedupe of 2,379 person/company names, gold: leuven_id) with the
// defaults: Name compared by token-set ratio, threshold 0.85, default
// blocking. Measured (2026-11): transitive clusters P=0.9632 R=0.9669
// F1=0.9650; raw pairs P=0.9669 R=0.7093 F1=0.8183. The bounds leave 0.005
// for harmless changes to blocking or tie order.
func TestPatstatF1(t *testing.T) {
	in, gold := patstat(t)
	res, err := Dedupe(context.Background(), in, Config{Fields: []Field{{Left: "Name"}}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := EvaluateClusters(res.Clusters(), gold)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := EvaluatePairs(res.Pairs, gold, nil, true)
	t.Logf("PATSTAT candidates %d (of %d), comparisons %d; clusters %v; pairs %v", res.Candidates, int64(in.NumRows())*int64(in.NumRows()-1)/2, res.Comparisons, cs, ps)
	if cs.F1 < 0.96 || cs.Precision < 0.955 || cs.Recall < 0.96 {
		t.Errorf("PATSTAT cluster scores %v, want F1 ≥ 0.96 (measured 0.9650)", cs)
	}
	if ps.F1 < 0.81 {
		t.Errorf("PATSTAT pair scores %v, want F1 ≥ 0.81 (measured 0.8183)", ps)
	}
	if res.Candidates >= int64(in.NumRows())*int64(in.NumRows()-1)/2 {
		t.Errorf("blocking proposed %d pairs: all of them", res.Candidates)
	}
}

// Abt-Buy (link 1,081 Abt against 1,092 Buy products, gold: same
// unique_id, 1,081 pairs): title by token-set ratio (weight 3) and price by
// relative numeric closeness, one-to-one, threshold 0.5. Measured (2026-11):
// P=0.8089 R=0.7909 F1=0.7998.
func TestAbtBuyF1(t *testing.T) {
	a, b, ka, kb := abtBuy(t)
	res, err := Link(context.Background(), a, b, Config{
		Fields:    []Field{{Left: "title", Sim: SimTokenSet, Weight: 3}, {Left: "price", Sim: SimNumeric}},
		Threshold: 0.5,
		OneToOne:  true,
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := EvaluatePairs(res.Pairs, ka, kb, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Abt-Buy candidates %d (of %d), comparisons %d; %v", res.Candidates, a.NumRows()*b.NumRows(), res.Comparisons, s)
	if s.F1 < 0.79 {
		t.Errorf("Abt-Buy scores %v, want F1 ≥ 0.79 (measured 0.7998)", s)
	}
}

func BenchmarkDedupePatstat(b *testing.B) {
	in, _ := patstat(b)
	cfg := Config{Fields: []Field{{Left: "Name"}}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Dedupe(context.Background(), in, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLinkAbtBuy(b *testing.B) {
	x, y, _, _ := abtBuy(b)
	cfg := Config{Fields: []Field{{Left: "title", Sim: SimTokenSet, Weight: 3}, {Left: "price", Sim: SimNumeric}}, Threshold: 0.5, OneToOne: true}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Link(context.Background(), x, y, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
