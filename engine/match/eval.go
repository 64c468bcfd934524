package match

import "fmt"

// Scores are pairwise precision, recall and F1 against a gold standard:
//
//	P = TP / (TP + FP),  R = TP / (TP + FN),  F1 = 2PR / (P + R),
//
// counted over record pairs. P is 1 when nothing is predicted, R is 1 when
// the gold standard has no pair, and F1 is 0 when P + R = 0.
type Scores struct {
	TP, FP, FN            int64
	Precision, Recall, F1 float64
}

func newScores(tp, predicted, gold int64) Scores {
	s := Scores{TP: tp, FP: predicted - tp, FN: gold - tp, Precision: 1, Recall: 1}
	if predicted > 0 {
		s.Precision = float64(tp) / float64(predicted)
	}
	if gold > 0 {
		s.Recall = float64(tp) / float64(gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// String formats the scores as "P=0.950 R=0.900 F1=0.924 (TP … FP … FN …)".
func (s Scores) String() string {
	return fmt.Sprintf("P=%.4f R=%.4f F1=%.4f (TP %d, FP %d, FN %d)", s.Precision, s.Recall, s.F1, s.TP, s.FP, s.FN)
}

// EvaluateClusters compares two clusterings of the same records by pairs:
// a pair is predicted when both records have the same pred label and true
// when they have the same gold label (gold "" = unknown entity, in no gold
// pair). It counts through the contingency table,
//
//	TP = Σᵢⱼ C(nᵢⱼ, 2),  predicted = Σᵢ C(aᵢ, 2),  gold = Σⱼ C(bⱼ, 2),
//
// so it costs O(n), not O(n²).
func EvaluateClusters(pred []int, gold []string) (Scores, error) {
	if len(pred) != len(gold) {
		return Scores{}, fmt.Errorf("match: %d predicted labels for %d gold labels", len(pred), len(gold))
	}
	type cell struct {
		p int
		g string
	}
	cells, ps, gs := map[cell]int64{}, map[int]int64{}, map[string]int64{}
	for i, p := range pred {
		ps[p]++
		if gold[i] != "" {
			gs[gold[i]]++
			cells[cell{p, gold[i]}]++
		}
	}
	c2 := func(n int64) int64 { return n * (n - 1) / 2 }
	var tp, np, ng int64
	for _, n := range cells {
		tp += c2(n)
	}
	for _, n := range ps {
		np += c2(n)
	}
	for _, n := range gs {
		ng += c2(n)
	}
	return newScores(tp, np, ng), nil
}

// EvaluatePairs scores predicted pairs (each counted once) against gold keys:
// a pair (i, j) is true when leftKey[i] == rightKey[j] and is not "". For a
// link the gold pairs number Σₖ nₖ(left)·nₖ(right); for a dedupe (dedupe
// set, rightKey ignored, pairs i < j) Σₖ C(nₖ, 2).
func EvaluatePairs(pairs []Pair, leftKey, rightKey []string, dedupe bool) (Scores, error) {
	if dedupe {
		rightKey = leftKey
	}
	var tp int64
	seen := make(map[[2]int]bool, len(pairs))
	for _, p := range pairs {
		if p.Left < 0 || p.Left >= len(leftKey) || p.Right < 0 || p.Right >= len(rightKey) {
			return Scores{}, fmt.Errorf("match: pair (%d, %d) outside the key lists (%d, %d)", p.Left, p.Right, len(leftKey), len(rightKey))
		}
		k := [2]int{p.Left, p.Right}
		if dedupe && k[0] > k[1] {
			k[0], k[1] = k[1], k[0]
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		if leftKey[p.Left] != "" && leftKey[p.Left] == rightKey[p.Right] {
			tp++
		}
	}
	nl, nr := map[string]int64{}, map[string]int64{}
	for _, k := range leftKey {
		if k != "" {
			nl[k]++
		}
	}
	var gold int64
	if dedupe {
		for _, n := range nl {
			gold += n * (n - 1) / 2
		}
	} else {
		for _, k := range rightKey {
			if k != "" {
				nr[k]++
			}
		}
		for k, n := range nl {
			gold += n * nr[k]
		}
	}
	return newScores(tp, int64(len(seen)), gold), nil
}
