package tune

import (
	"math"
	"sort"

	etune "github.com/mlwb/mlwb/engine/tune"
)

// Importance estimates how much of the variance of the objective each
// parameter explains on its own, over the complete trials: the correlation
// ratio (Pearson 1905), the first-order (main-effect) share that fANOVA
// (Hutter, Hoos & Leyton-Brown 2014) computes from a fitted forest, here
// estimated directly from the trials with a step function:
//
//	η²_p = Σ_g n_g (ȳ_g − ȳ)² / Σ_i (y_i − ȳ)²
//
// where the groups g are the choices of a categorical parameter, or for a
// numerical one up to 5 groups of equal count by the parameter's rank. Trials
// where the parameter is inactive form a group of their own. The shares are
// then normalised to sum to 1 (when any is positive). Small studies overstate
// η² (each group mean fits noise), so it is a ranking aid, not a test; fewer
// than 4 complete trials give nil.
func Importance(space *etune.Space, trials []etune.TrialResult) map[string]float64 {
	var done []etune.TrialResult
	for _, t := range trials {
		if t.State == etune.Complete && !math.IsNaN(t.Value) && !math.IsInf(t.Value, 0) {
			done = append(done, t)
		}
	}
	if len(done) < 4 || space == nil {
		return nil
	}
	var mean float64
	for _, t := range done {
		mean += t.Value
	}
	mean /= float64(len(done))
	var total float64
	for _, t := range done {
		total += (t.Value - mean) * (t.Value - mean)
	}
	out := map[string]float64{}
	if total == 0 {
		for _, p := range space.Params {
			out[p.Name] = 0
		}
		return out
	}
	var sum float64
	for _, p := range space.Params {
		group := make([]string, len(done))
		if p.Kind == etune.Categorical {
			for i, t := range done {
				v, ok := t.Params[p.Name]
				group[i] = "\x00inactive"
				if ok {
					group[i] = v.Str
				}
			}
		} else {
			var idx []int
			for i, t := range done {
				if _, ok := t.Params[p.Name]; ok {
					idx = append(idx, i)
				} else {
					group[i] = "\x00inactive"
				}
			}
			sort.SliceStable(idx, func(a, b int) bool {
				return done[idx[a]].Params[p.Name].Num < done[idx[b]].Params[p.Name].Num
			})
			bins := min(5, len(idx))
			for r, i := range idx {
				group[i] = string(rune('a' + r*bins/len(idx)))
			}
		}
		sums, counts := map[string]float64{}, map[string]int{}
		for i, t := range done {
			sums[group[i]] += t.Value
			counts[group[i]]++
		}
		var between float64
		for g, s := range sums {
			d := s/float64(counts[g]) - mean
			between += float64(counts[g]) * d * d
		}
		out[p.Name] = between / total
		sum += out[p.Name]
	}
	if sum > 0 {
		for k := range out {
			out[k] /= sum
		}
	}
	return out
}

// BestSoFar returns, for each complete trial in number order, the best value
// among the complete trials up to it.
func BestSoFar(dir etune.Direction, trials []etune.TrialResult) []float64 {
	var out []float64
	best := math.NaN()
	for _, t := range trials {
		if t.State != etune.Complete || math.IsNaN(t.Value) {
			continue
		}
		if math.IsNaN(best) || (dir == etune.Maximize && t.Value > best) || (dir == etune.Minimize && t.Value < best) {
			best = t.Value
		}
		out = append(out, best)
	}
	return out
}

// Narrow returns a copy of space whose numerical parameters are cut to
// ±25% of their range around the best trial's value (on the log scale for a
// log parameter), clipped to the old range, integers rounded outwards and
// steps kept on their grid. Parameters the best trial does not have and
// categorical ones are unchanged.
func Narrow(space *etune.Space, best etune.Params) *etune.Space {
	out := &etune.Space{Params: make([]etune.Param, len(space.Params))}
	for i, p := range space.Params {
		q := p
		if p.Choices != nil {
			q.Choices = append([]string(nil), p.Choices...)
		}
		if p.Cond != nil {
			c := *p.Cond
			c.Values = append([]string(nil), p.Cond.Values...)
			q.Cond = &c
		}
		out.Params[i] = q
		v, ok := best[p.Name]
		if !ok || p.Kind == etune.Categorical || p.Lo == p.Hi {
			continue
		}
		lo, hi, b := p.Lo, p.Hi, v.Num
		if p.Log {
			lo, hi, b = math.Log(lo), math.Log(hi), math.Log(b)
		}
		w := 0.25 * (hi - lo)
		nlo, nhi := max(lo, b-w), min(hi, b+w)
		if p.Log {
			nlo, nhi = math.Exp(nlo), math.Exp(nhi)
		}
		step := p.Step
		if p.Kind == etune.Int && step == 0 {
			step = 1
		}
		if step > 0 {
			nlo = p.Lo + math.Floor((nlo-p.Lo)/step+1e-9)*step
			nhi = p.Lo + math.Ceil((nhi-p.Lo)/step-1e-9)*step
		}
		nlo, nhi = max(nlo, p.Lo), min(nhi, p.Hi)
		if nlo < nhi {
			out.Params[i].Lo, out.Params[i].Hi = nlo, nhi
		}
	}
	return out
}
