package tune

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"
)

// LogFile is the name of a study's trial log inside its folder.
const LogFile = "trials.jsonl"

// jsonFloat is a float64 that writes NaN and ±Inf as the strings "NaN",
// "+Inf" and "-Inf" (JSON has no such numbers) and other values in the
// shortest form that reads back bit for bit.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = jsonFloat(math.NaN())
		return nil
	case `"+Inf"`, `"Inf"`:
		*f = jsonFloat(math.Inf(1))
		return nil
	case `"-Inf"`:
		*f = jsonFloat(math.Inf(-1))
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", b)
	}
	*f = jsonFloat(v)
	return nil
}

// event is one line of the trial log. Events of one trial: one "start"
// (number, time, params, sampler attrs), any number of "step" (an
// intermediate value), then one "end" (state, value, duration, error).
type event struct {
	Ev     string            `json:"ev"`
	N      int               `json:"n"`
	At     string            `json:"at,omitempty"`
	Params Params            `json:"params,omitempty"`
	Attrs  map[string]string `json:"attrs,omitempty"`
	Step   *int              `json:"step,omitempty"`
	V      *jsonFloat        `json:"v,omitempty"`
	State  string            `json:"state,omitempty"`
	Dur    float64           `json:"dur,omitempty"`
	Err    string            `json:"err,omitempty"`
}

func startEvent(r *TrialResult) event {
	return event{Ev: "start", N: r.Number, At: r.Start.UTC().Format(time.RFC3339Nano), Params: r.Params, Attrs: r.Attrs}
}

func stepEvent(n int, s Step) event {
	step, v := s.Step, jsonFloat(s.Value)
	return event{Ev: "step", N: n, Step: &step, V: &v}
}

func endEvent(r *TrialResult) event {
	e := event{Ev: "end", N: r.Number, State: r.State.String(), Dur: r.Duration.Seconds(), Err: r.Err}
	if r.State == Complete || r.State == Pruned {
		v := jsonFloat(r.Value)
		e.V = &v
	}
	return e
}

// trialLog appends events to the study's log: O_APPEND writes, one line per
// event, fsync'd for start and end events (a step is lost with its trial if
// the process dies first, so it needs none).
type trialLog struct {
	f *os.File
}

func (l *trialLog) write(e event, sync bool) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("tune: log: %w", err)
	}
	b = append(b, '\n')
	if _, err := l.f.Write(b); err != nil {
		return fmt.Errorf("tune: log: %w", err)
	}
	if sync {
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("tune: log: %w", err)
		}
	}
	return nil
}

// readLog reads the trial log at path (opened read-write by the caller, who
// holds the study lock). A last line without its newline was torn by a
// crash: it is cut off the file. Trials that started but never ended are
// returned Running; the caller marks them failed.
func readLog(f *os.File, path string) ([]TrialResult, error) {
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("tune: read %s: %w", path, err)
	}
	if n := bytes.LastIndexByte(b, '\n') + 1; n < len(b) {
		if err := f.Truncate(int64(n)); err != nil {
			return nil, fmt.Errorf("tune: cut torn last line of %s: %w", path, err)
		}
		b = b[:n]
	}
	var trials []TrialResult
	line := 0
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		raw := b[:i]
		b = b[i+1:]
		line++
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		var e event
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("tune: %s line %d: %v", path, line, err)
		}
		bad := func(f string, a ...any) error {
			return fmt.Errorf("tune: %s line %d: trial %d: %s", path, line, e.N, fmt.Sprintf(f, a...))
		}
		switch e.Ev {
		case "start":
			if e.N != len(trials) {
				return nil, bad("starts out of order (want trial %d)", len(trials))
			}
			at, _ := time.Parse(time.RFC3339Nano, e.At)
			p := e.Params
			if p == nil {
				p = Params{}
			}
			trials = append(trials, TrialResult{Number: e.N, State: Running, Params: p, Value: math.NaN(), Start: at, Attrs: e.Attrs})
		case "step", "end":
			if e.N < 0 || e.N >= len(trials) {
				return nil, bad("%s event before its start", e.Ev)
			}
			r := &trials[e.N]
			if r.State != Running {
				return nil, bad("%s event after the trial ended", e.Ev)
			}
			if e.Ev == "step" {
				if e.Step == nil || e.V == nil {
					return nil, bad("step event without step or value")
				}
				r.Intermediate = append(r.Intermediate, Step{*e.Step, float64(*e.V)})
				continue
			}
			st, err := parseState(e.State)
			if err != nil || st == Running {
				return nil, bad("bad end state %q", e.State)
			}
			r.State, r.Err = st, e.Err
			r.Duration = time.Duration(e.Dur * float64(time.Second))
			if e.V != nil {
				r.Value = float64(*e.V)
			}
		default:
			return nil, bad("unknown event %q", e.Ev)
		}
	}
	return trials, nil
}
