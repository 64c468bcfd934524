package clean

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/mlwb/mlwb/engine/frame"
)

// RecipeVersion is the recipe file format this package writes and reads.
const RecipeVersion = 1

// Recipe is an ordered list of cleaning steps with an undo cursor. Its JSON
// form is the recipe file described in the package documentation. The
// first Applied() steps are in effect; the Undone steps after them can be
// redone.
type Recipe struct {
	Version int `json:"version"`
	// Dataset is the name of the dataset the recipe was recorded on
	// (informational when replaying on other data).
	Dataset string `json:"dataset,omitempty"`
	// Base is the hash of the dataset version the steps start from, and
	// BaseVersion its number; set by Session, ignored by replays.
	Base        string `json:"base,omitempty"`
	BaseVersion int    `json:"base_version,omitempty"`
	// Salt is the secret mixed into hash steps that have no "salt" param.
	Salt  string `json:"salt,omitempty"`
	Steps []Step `json:"steps"`
	// Undone counts the trailing steps that were undone (the redo stack).
	Undone int `json:"undone,omitempty"`
}

// NewRecipe returns an empty recipe for the named dataset with a fresh
// random salt.
func NewRecipe(dataset string) *Recipe {
	return &Recipe{Version: RecipeVersion, Dataset: dataset, Salt: NewSalt(), Steps: []Step{}}
}

// NewSalt returns 16 random bytes as 32 hex digits.
func NewSalt() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Applied returns the number of steps in effect.
func (r *Recipe) Applied() int { return len(r.Steps) - r.Undone }

// Active returns the steps in effect.
func (r *Recipe) Active() []Step { return r.Steps[:r.Applied()] }

// CanUndo reports whether a step can be undone.
func (r *Recipe) CanUndo() bool { return r.Applied() > 0 }

// CanRedo reports whether an undone step can be redone.
func (r *Recipe) CanRedo() bool { return r.Undone > 0 }

// Push appends step as the next step in effect, discarding the undone ones.
func (r *Recipe) Push(step Step) {
	r.Steps = append(r.Steps[:r.Applied()], step)
	r.Undone = 0
}

// Clone returns a deep copy of the recipe (params are copied one level).
func (r *Recipe) Clone() *Recipe {
	c := *r
	c.Steps = make([]Step, len(r.Steps))
	for i, s := range r.Steps {
		c.Steps[i] = s.clone()
	}
	return &c
}

func (s Step) clone() Step {
	s.Columns = slices.Clone(s.Columns)
	s.Params = maps.Clone(s.Params)
	if s.Result != nil {
		r := *s.Result
		s.Result = &r
	}
	return s
}

// prepared returns step with the recipe's salt filled in when it is a hash
// step without one.
func (r *Recipe) prepared(s Step) Step {
	if s.Op == "hash" && r.Salt != "" {
		if _, ok := s.Params["salt"]; !ok {
			s = s.clone()
			if s.Params == nil {
				s.Params = map[string]any{}
			}
			s.Params["salt"] = r.Salt
		}
	}
	return s
}

// Resolved returns copies of the steps in effect with the recipe's salt
// filled into hash steps that have none, ready to be applied on their own
// or recorded in another recipe.
func (r *Recipe) Resolved() []Step {
	out := make([]Step, r.Applied())
	for i, s := range r.Active() {
		out[i] = r.prepared(s).clone()
	}
	return out
}

// Apply replays the steps in effect on f, in order, and returns the result
// and each step's effect. It stops at the first step that fails, with a
// *StepError naming the step's 1-based number and op:
//
//	clean: step 3 (impute "age"): column "age" not found
//
// f is never modified.
func (r *Recipe) Apply(ctx context.Context, f *frame.Frame) (*frame.Frame, []Effect, error) {
	return r.ApplyRange(ctx, f, 0, r.Applied())
}

// ApplyRange applies steps from..to-1 (0-based) to f, numbering errors by
// their place in the whole recipe.
func (r *Recipe) ApplyRange(ctx context.Context, f *frame.Frame, from, to int) (*frame.Frame, []Effect, error) {
	effects := make([]Effect, 0, to-from)
	for i := from; i < to; i++ {
		g, eff, err := r.prepared(r.Steps[i]).Apply(ctx, f)
		if err != nil {
			var se *StepError
			if errors.As(err, &se) {
				se.Index = i + 1
				se.Step = r.Steps[i]
				return nil, nil, se
			}
			return nil, nil, &StepError{Index: i + 1, Step: r.Steps[i], Err: err}
		}
		effects = append(effects, eff)
		f = g
	}
	return f, effects, nil
}

// Validate checks the recipe's version, cursor and every step's op, column
// count and params, without data.
func (r *Recipe) Validate() error {
	if r.Version != RecipeVersion {
		return fmt.Errorf("clean: recipe version %d is not supported (this mlwb reads version %d)", r.Version, RecipeVersion)
	}
	if r.Undone < 0 || r.Undone > len(r.Steps) {
		return fmt.Errorf("clean: recipe has %d steps but %d undone", len(r.Steps), r.Undone)
	}
	for i, s := range r.Steps {
		if err := s.Validate(); err != nil {
			var se *StepError
			if errors.As(err, &se) {
				se.Index = i + 1
			}
			return err
		}
	}
	return nil
}

// ParseRecipe decodes and validates a recipe file's content. Unknown fields
// are errors (a misspelt "colums" would otherwise be ignored silently), and
// a syntax error names its line and column.
func ParseRecipe(data []byte) (*Recipe, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Recipe
	if err := dec.Decode(&r); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(data, se.Offset-1) // Offset is just past the bad byte
			return nil, fmt.Errorf("clean: recipe %d:%d: %v", line, col, err)
		case errors.As(err, &te):
			line, col := lineCol(data, te.Offset)
			return nil, fmt.Errorf("clean: recipe %d:%d: %s must be %s, not %s", line, col, te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("clean: recipe: %v", err)
	}
	if dec.More() {
		return nil, errors.New("clean: recipe: text after the recipe object")
	}
	if r.Version == 0 {
		return nil, errors.New(`clean: recipe: missing "version": 1`)
	}
	if r.Steps == nil {
		r.Steps = []Step{}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

func lineCol(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	col = int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// ReadRecipe reads and validates the recipe file at path; errors name it.
func ReadRecipe(path string) (*Recipe, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("clean: %w", err)
	}
	r, err := ParseRecipe(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// MarshalIndent returns the recipe as indented JSON with a final newline.
func (r *Recipe) MarshalIndent() ([]byte, error) {
	if r.Steps == nil {
		r.Steps = []Step{}
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("clean: %w", err)
	}
	return append(b, '\n'), nil
}
