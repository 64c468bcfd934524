package tune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// Objective evaluates one trial: it reads t.Params, may call t.Report with
// intermediate values (returning ErrPruned when told to stop) and returns the
// value to minimise or maximise. An error fails the trial (recorded with
// its text) and the study goes on. ctx is cancelled when the study is.
type Objective func(ctx context.Context, t *Trial) (float64, error)

// Options configure a study. The zero value of Sampler means TPE with
// Optuna's defaults; a nil Pruner never prunes.
type Options struct {
	Direction Direction
	Space     *Space
	Sampler   Sampler
	Pruner    Pruner
	// Seed makes the study reproducible: with one job, the same seed gives
	// the same trials bit for bit.
	Seed uint64
}

// Study is a hyperparameter search: a space, a sampler, a pruner and the
// trials run so far. A study opened with Open also lives on disk as an
// append-only log; one made with New lives in memory. Its methods are safe
// for concurrent use.
type Study struct {
	opt  Options
	name string

	lock *os.File
	log  *trialLog

	sampleMu sync.Mutex // serialises sampling and trial registration
	cbMu     sync.Mutex // serialises onTrial calls

	mu      sync.Mutex // guards what follows
	trials  []TrialResult
	cancels map[int]context.CancelCauseFunc
	logErr  error
}

// New returns an in-memory study.
func New(opt Options) (*Study, error) {
	if err := opt.fill(); err != nil {
		return nil, err
	}
	return &Study{opt: opt, cancels: map[int]context.CancelCauseFunc{}}, nil
}

func (o *Options) fill() error {
	if err := o.Space.Validate(); err != nil {
		return err
	}
	if o.Sampler == nil {
		o.Sampler = NewTPE(TPEOptions{})
	}
	if o.Direction != Minimize && o.Direction != Maximize {
		return fmt.Errorf("tune: unknown direction %d", int(o.Direction))
	}
	return nil
}

// Open opens or creates the study living in folder dir: it takes the
// study's lock (a second Open, in any process, fails with *InUseError until
// Close), reads the trial log dir/trials.jsonl, and marks the trials that
// were running when a previous process died as Failed("interrupted"),
// appending that to the log. New trials continue the numbering.
func Open(dir string, opt Options) (*Study, error) {
	if err := opt.fill(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tune: %w", err)
	}
	lk, err := lockStudy(dir)
	if err != nil {
		return nil, err
	}
	s := &Study{opt: opt, name: filepath.Base(dir), lock: lk, cancels: map[int]context.CancelCauseFunc{}}
	path := filepath.Join(dir, LogFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		unlockStudy(lk)
		return nil, fmt.Errorf("tune: %w", err)
	}
	s.log = &trialLog{f: f}
	if s.trials, err = readLog(f, path); err != nil {
		s.Close()
		return nil, err
	}
	for i := range s.trials {
		r := &s.trials[i]
		if r.State != Running {
			continue
		}
		r.State, r.Err = Failed, "interrupted"
		if err := s.log.write(endEvent(r), true); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close releases the study's lock and log. It must not be called while
// Optimize runs.
func (s *Study) Close() error {
	var err error
	if s.log != nil {
		err = s.log.f.Close()
		s.log = nil
	}
	if s.lock != nil {
		if uerr := unlockStudy(s.lock); err == nil {
			err = uerr
		}
		s.lock = nil
	}
	return err
}

// Options returns the study's options (with the default sampler filled in).
func (s *Study) Options() Options { return s.opt }

// Trials returns a copy of every trial so far, in number order.
func (s *Study) Trials() []TrialResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TrialResult, len(s.trials))
	copy(out, s.trials)
	for i := range out {
		out[i].Intermediate = append([]Step(nil), out[i].Intermediate...)
	}
	return out
}

// Best returns the complete trial with the best value (the lowest number
// among equals); ok is false when no trial has completed.
func (s *Study) Best() (best TrialResult, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.trials {
		if r.State != Complete || math.IsNaN(r.Value) {
			continue
		}
		if !ok || s.opt.Direction.better(r.Value, best.Value) {
			best, ok = r, true
		}
	}
	best.Intermediate = append([]Step(nil), best.Intermediate...)
	return best, ok
}

// CancelTrial cancels the context of running trial n; it is recorded as
// Failed("cancelled") once its objective returns, and the study goes on.
// It reports whether n was running.
func (s *Study) CancelTrial(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cancels[n]
	if ok {
		c(errTrialCancelled)
	}
	return ok
}

var errTrialCancelled = errors.New("cancelled")

// trialSeeds derives the sampler's generator and the objective's seed for
// trial n from the study seed (PCG streams keyed by the trial number), so
// that trial n draws the same numbers whatever ran before it.
func trialSeeds(seed uint64, n int) (*rand.Rand, uint64) {
	const golden = 0x9e3779b97f4a7c15
	r := rand.New(rand.NewPCG(seed, uint64(n)*golden+1))
	return r, rand.New(rand.NewPCG(seed^golden, uint64(n))).Uint64()
}

// Optimize runs nTrials more trials of obj, jobs at a time (jobs ≤ 0: one
// per CPU), and returns when they have finished. A trial that fails is
// recorded with its error and the study goes on. onTrial, when not nil, is
// called after each trial with its result, one call at a time.
//
// With jobs = 1 and a fixed seed, the trials and their parameters are the
// same bit for bit on every run. With jobs > 1 the sampler sees the trials
// that are still running without a value (TPE ignores them; the grid skips
// their points), so several jobs may sample close points early on.
//
// When ctx is cancelled no trial starts, running trials see the cancelled
// ctx and are recorded as Failed("cancelled"), and Optimize returns
// ctx.Err(). When the grid sampler has run out of points, Optimize stops
// starting trials and returns nil. A sampler error or a failed log write
// stops the study and is returned.
func (s *Study) Optimize(ctx context.Context, obj Objective, nTrials, jobs int, onTrial func(TrialResult)) error {
	if obj == nil {
		return errors.New("tune: nil objective")
	}
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, max(nTrials, 1))
	var (
		wg      sync.WaitGroup
		claimMu sync.Mutex
		left    = nTrials
		stop    bool
		stopErr error
	)
	claim := func() bool {
		claimMu.Lock()
		defer claimMu.Unlock()
		if stop || left <= 0 || ctx.Err() != nil {
			return false
		}
		left--
		return true
	}
	halt := func(err error) {
		claimMu.Lock()
		defer claimMu.Unlock()
		stop = true
		if stopErr == nil {
			stopErr = err
		}
	}
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for claim() {
				res, err := s.runOne(ctx, obj)
				if errors.Is(err, ErrGridExhausted) {
					halt(nil)
					return
				}
				if err != nil {
					halt(err)
					return
				}
				if onTrial != nil {
					s.cbMu.Lock()
					onTrial(res)
					s.cbMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if stopErr != nil {
		return stopErr
	}
	return ctx.Err()
}

// runOne samples, registers, runs and records one trial.
func (s *Study) runOne(ctx context.Context, obj Objective) (TrialResult, error) {
	t, err := s.start()
	if err != nil {
		return TrialResult{}, err
	}
	tctx, cancel := context.WithCancelCause(ctx)
	s.mu.Lock()
	s.cancels[t.Number] = cancel
	s.mu.Unlock()
	t0 := time.Now()
	v, oerr := callObjective(tctx, obj, t)
	dur := time.Since(t0)
	cancel(nil)

	s.mu.Lock()
	delete(s.cancels, t.Number)
	r := &s.trials[t.Number]
	r.Duration = dur
	switch {
	case errors.Is(oerr, ErrPruned):
		r.State = Pruned
	case oerr != nil:
		r.State = Failed
		switch {
		case ctx.Err() != nil && (errors.Is(oerr, ctx.Err()) || errors.Is(oerr, context.Canceled)):
			r.Err = "cancelled"
		case context.Cause(tctx) == errTrialCancelled:
			r.Err = "cancelled"
		default:
			r.Err = oerr.Error()
		}
	case t.pruned:
		r.State = Pruned
	case math.IsNaN(v):
		r.State, r.Err = Failed, "objective returned NaN"
	default:
		r.State, r.Value = Complete, v
	}
	if r.State == Pruned {
		r.Value = math.NaN()
		if last, ok := r.Last(); ok {
			r.Value = last.Value
		}
	}
	var lerr error
	if s.log != nil {
		lerr = s.log.write(endEvent(r), true)
		if lerr == nil {
			lerr = s.logErr
		}
	}
	res := *r
	res.Intermediate = append([]Step(nil), r.Intermediate...)
	s.mu.Unlock()
	return res, lerr
}

// callObjective runs obj, turning a panic into an error.
func callObjective(ctx context.Context, obj Objective, t *Trial) (v float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return obj(ctx, t)
}

// start samples the next trial's parameters and registers it as running.
func (s *Study) start() (*Trial, error) {
	s.sampleMu.Lock()
	defer s.sampleMu.Unlock()
	s.mu.Lock()
	n := len(s.trials)
	hist := make([]TrialResult, n)
	copy(hist, s.trials)
	s.mu.Unlock()

	rng, seed := trialSeeds(s.opt.Seed, n)
	req := &Request{Space: s.opt.Space, Direction: s.opt.Direction, Trials: hist, Number: n, Rand: rng}
	params, err := s.opt.Sampler.Sample(req)
	if err != nil {
		return nil, err
	}
	if err := s.opt.Space.Check(params); err != nil {
		return nil, fmt.Errorf("tune: sampler %T gave bad parameters: %w", s.opt.Sampler, err)
	}
	r := TrialResult{Number: n, State: Running, Params: params, Value: math.NaN(), Start: time.Now(), Attrs: req.Attrs}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log != nil {
		if err := s.log.write(startEvent(&r), true); err != nil {
			return nil, err
		}
	}
	s.trials = append(s.trials, r)
	return &Trial{Number: n, Params: params, space: s.opt.Space, seed: seed, study: s}, nil
}

// report records an intermediate value and asks the pruner.
func (s *Study) report(t *Trial, step int, value float64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.trials[t.Number]
	if t.pruned || r.State != Running {
		return t.pruned
	}
	if last, ok := r.Last(); ok && step <= last.Step {
		return false
	}
	st := Step{step, value}
	r.Intermediate = append(r.Intermediate, st)
	if s.log != nil && s.logErr == nil {
		s.logErr = s.log.write(stepEvent(t.Number, st), false)
	}
	if s.opt.Pruner != nil && s.opt.Pruner.Prune(s.opt.Direction, r, s.trials) {
		t.pruned = true
	}
	return t.pruned
}
