package tune

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/validate"
)

// seqSampler proposes the given parameters in turn.
type seqSampler []Params

func (s seqSampler) Sample(r *Request) (Params, error) { return s[r.Number%len(s)], nil }

// clsFrame is a binary problem: label = yes when x1 + x2/2 + noise > 0.
func clsFrame(t *testing.T, n int) *frame.Frame {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	x1, x2 := make([]float64, n), make([]float64, n)
	lab := make([]int32, n)
	for i := range n {
		x1[i], x2[i] = rng.NormFloat64(), rng.NormFloat64()
		if x1[i]+0.5*x2[i]+0.3*rng.NormFloat64() > 0 {
			lab[i] = 1
		}
	}
	f, err := frame.New(frame.NewFloat64("x1", x1, frame.Mask{}), frame.NewFloat64("x2", x2, frame.Mask{}),
		frame.NewCategorical("label", lab, []string{"no", "yes"}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestTrainObjectivePrunesPerIteration: on a holdout, gbdt reports its
// validation log loss after every boosting iteration; five trials with a
// learning rate of 0.3 complete, then a trial with a rate of 1e-4 (whose
// loss stays near log 2 ≈ 0.693 while the others fall towards 0.2) is
// pruned by the median pruner at its first step, and its fit stops there:
// it goes through far fewer than its 60 iterations.
func TestTrainObjectivePrunesPerIteration(t *testing.T) {
	sp := mustParse(t, "learning_rate: float 0.0001..0.5 log\nn_estimators: int 60..60\n")
	good := Params{"learning_rate": {Num: 0.3}, "n_estimators": {Num: 60}}
	slow := Params{"learning_rate": {Num: 1e-4}, "n_estimators": {Num: 60}}
	smp := seqSampler{good, good, good, good, good, slow}
	st, err := New(Options{Direction: Minimize, Space: sp, Sampler: smp, Pruner: NewMedian(MedianOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	iters := map[int]int{} // fit iterations per trial
	obj := TrainObjective{Metric: "log_loss",
		Job: train.Job{Frame: clsFrame(t, 600), Target: "label", Model: "gbdt",
			Validation: validate.Spec{Scheme: validate.Holdout, Fraction: 0.25, Seed: 1}},
		Progress: func(tr *Trial, ev train.Event) {
			if ev.Phase == train.Iteration {
				mu.Lock()
				iters[tr.Number]++
				mu.Unlock()
			}
		}}
	if obj.Direction() != Minimize {
		t.Fatal("log_loss is minimised")
	}
	if err := st.Optimize(context.Background(), obj.Objective(), 6, 1, nil); err != nil {
		t.Fatal(err)
	}
	trials := st.Trials()
	for _, tr := range trials[:5] {
		if tr.State != Complete || len(tr.Intermediate) != 60 || tr.Intermediate[59].Step != 59 {
			t.Fatalf("trial %d: %v with %d intermediate values, want complete with 60 (steps 0..59)", tr.Number, tr.State, len(tr.Intermediate))
		}
		// The last intermediate value is the validation log loss the
		// final value is computed as, up to the metric's clipping.
		if last := tr.Intermediate[59].Value; math.Abs(last-tr.Value) > 1e-6 {
			t.Errorf("trial %d: last intermediate %.9f, value %.9f", tr.Number, last, tr.Value)
		}
	}
	p := trials[5]
	if p.State != Pruned {
		t.Fatalf("slow trial: %v (%v), want pruned", p.State, p.Intermediate)
	}
	last, _ := p.Last()
	if last.Step != 0 || math.Abs(last.Value-math.Ln2) > 0.01 {
		t.Errorf("slow trial pruned at %+v, want step 0 with a loss ≈ 0.693", last)
	}
	t.Logf("pruned at %+v after %d fit iterations", last, iters[5])
	if n := iters[5]; n >= 60 || n < 1 {
		t.Errorf("pruned trial went through %d iterations, want it stopped well before 60", n)
	}
	if iters[0] != 60 {
		t.Errorf("complete trial went through %d iterations, want 60", iters[0])
	}
}

// TestTrainObjectiveFolds: with 3-fold CV, the intermediate value after
// fold k is the running mean of the metric over folds 0..k, and the value
// is the mean over the three; an accuracy (higher is better) is maximised.
func TestTrainObjectiveFolds(t *testing.T) {
	sp := mustParse(t, "max_depth: int 1..3\n")
	st, err := New(Options{Direction: Maximize, Space: sp, Sampler: seqSampler{{"max_depth": {Num: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	obj := TrainObjective{Metric: "accuracy",
		Job: train.Job{Frame: clsFrame(t, 300), Target: "label", Model: "tree",
			Validation: validate.Spec{Scheme: validate.StratifiedKFold, K: 3, Seed: 2}}}
	if obj.Direction() != Maximize {
		t.Fatal("accuracy is maximised")
	}
	if err := st.Optimize(context.Background(), obj.Objective(), 1, 1, nil); err != nil {
		t.Fatal(err)
	}
	tr := st.Trials()[0]
	if tr.State != Complete || len(tr.Intermediate) != 3 {
		t.Fatalf("%v, %v", tr.State, tr.Intermediate)
	}
	if math.Abs(tr.Intermediate[2].Value-tr.Value) > 1e-12 {
		t.Errorf("running mean after the last fold %.15f, value %.15f", tr.Intermediate[2].Value, tr.Value)
	}
	if tr.Value < 0.8 || tr.Value > 1 {
		t.Errorf("accuracy %.4f of a depth-2 tree on an easy problem", tr.Value)
	}
}

// TestTrainObjectiveErrors: a metric the task does not have and a model
// parameter the model refuses fail the trial with the error; the study goes
// on to the next trial.
func TestTrainObjectiveErrors(t *testing.T) {
	sp := mustParse(t, "max_depth: int -3..3\n")
	st, err := New(Options{Direction: Maximize, Space: sp,
		Sampler: seqSampler{{"max_depth": {Num: -3}}, {"max_depth": {Num: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	obj := TrainObjective{Metric: "accuracy",
		Job: train.Job{Frame: clsFrame(t, 200), Target: "label", Model: "tree",
			Validation: validate.Spec{Scheme: validate.Holdout, Fraction: 0.3, Seed: 1}}}
	if err := st.Optimize(context.Background(), obj.Objective(), 2, 1, nil); err != nil {
		t.Fatal(err)
	}
	tr := st.Trials()
	if tr[0].State != Failed || !strings.Contains(tr[0].Err, "max_depth") {
		t.Errorf("trial 0: %v %q, want failed naming max_depth", tr[0].State, tr[0].Err)
	}
	if tr[1].State != Complete {
		t.Errorf("trial 1: %v %q, want complete", tr[1].State, tr[1].Err)
	}
	obj.Metric = "rmse"
	_, err = obj.Objective()(context.Background(), &Trial{Params: Params{"max_depth": {Num: 2}}, space: sp})
	if err == nil || !strings.Contains(err.Error(), "no metric rmse") {
		t.Errorf("rmse on a classifier: %v", err)
	}
	if errors.Is(err, ErrPruned) {
		t.Error("an error is not a pruning")
	}
}
