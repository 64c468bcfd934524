package train

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// Preparer turns frame rows into a model matrix. Fit learns whatever it
// needs from the training rows of f only; the Prepared it returns is then
// applied, unchanged, to the training rows, held-out rows and a supplied
// test frame.
type Preparer interface {
	// Name describes the preparation for the run record.
	Name() string
	// Fit learns from f's rows (nil: all rows). Only a target encoder may
	// read target.
	Fit(ctx context.Context, f *frame.Frame, target string, features []string, rows []int) (Prepared, error)
}

// TrainingMatrixer is implemented by a Prepared whose training rows must
// not simply be re-transformed (out-of-fold target encoding): the matrix
// the model trains on, as Fit computed it.
type TrainingMatrixer interface {
	TrainingMatrix() *models.Matrix
}

// Prepared is a fitted Preparer.
type Prepared interface {
	// Matrix returns the model matrix of f's rows (nil: all rows).
	Matrix(ctx context.Context, f *frame.Frame, rows []int) (*models.Matrix, error)
}

// Raw is the preparation without a feature pipeline: numbers, bools and
// datetimes as they are, categorical columns as their integer codes (models.FromFrame).
// It learns nothing from the rows except the categorical levels, by which a
// different frame (a supplied test set) is matched; an unseen level is
// missing. String columns are refused with an error naming them. Create
// one per job: it caches the matrix of the training frame.
type Raw struct {
	f    *frame.Frame
	full *models.Matrix
}

// Name implements Preparer.
func (r *Raw) Name() string { return "raw (numbers as they are, categorical codes)" }

// Fit implements Preparer.
func (r *Raw) Fit(ctx context.Context, f *frame.Frame, target string, features []string, rows []int) (Prepared, error) {
	if r.f != f || r.full == nil {
		m, err := rawMatrix(f, features)
		if err != nil {
			return nil, err
		}
		r.f, r.full = f, m
	}
	return &rawFitted{train: r.f, full: r.full, features: features}, nil
}

type rawFitted struct {
	train    *frame.Frame
	full     *models.Matrix
	features []string
}

func (p *rawFitted) Matrix(ctx context.Context, f *frame.Frame, rows []int) (*models.Matrix, error) {
	if f == p.train {
		if rows == nil {
			return p.full, nil
		}
		return p.full.TakeRows(rows), nil
	}
	m, err := matchedMatrix(p.train, f, p.features)
	if err != nil {
		return nil, err
	}
	if rows != nil {
		m = m.TakeRows(rows)
	}
	return m, nil
}

// rawMatrix is models.FromFrame with an error that says what to do.
func rawMatrix(f *frame.Frame, features []string) (*models.Matrix, error) {
	var strs []string
	for _, name := range features {
		c, err := f.Column(name)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		if c.Type() == frame.String {
			strs = append(strs, name)
		}
	}
	if len(strs) > 0 {
		q := make([]string, len(strs))
		for i, s := range strs {
			q[i] = fmt.Sprintf("%q", s)
		}
		what, it := "column "+q[0]+" is text", "it"
		if len(q) > 1 {
			what, it = "columns "+strings.Join(q, ", ")+" are text", "them"
		}
		return nil, fmt.Errorf("train: %s with no encoder; encode %s in a feature pipeline or leave %s out (--exclude %s)", what, it, it, strings.Join(strs, ","))
	}
	m, err := models.FromFrame(f, features)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return m, nil
}

// matchedMatrix builds the matrix of g with categorical codes renumbered to
// the levels of the same column in train (by label; unseen → NaN).
func matchedMatrix(train, g *frame.Frame, features []string) (*models.Matrix, error) {
	m := models.NewMatrix(g.NumRows(), len(features))
	m.Names = append([]string(nil), features...)
	for j, name := range features {
		tc, err := train.Column(name)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		gc, err := g.Column(name)
		if err != nil {
			return nil, fmt.Errorf("train: the test set has no column %q", name)
		}
		dst := m.Col(j)
		if cat, ok := tc.(*frame.CategoricalCol); ok {
			index := make(map[string]int, len(cat.Levels))
			for k, l := range cat.Levels {
				index[l] = k
			}
			for i := range dst {
				dst[i] = math.NaN()
				if gc.IsNA(i) {
					continue
				}
				if k, ok := index[gc.Format(i)]; ok {
					dst[i] = float64(k)
				}
			}
			continue
		}
		if gc.Type() == frame.String || gc.Type() == frame.Categorical {
			return nil, fmt.Errorf("train: test set column %q is %s; training had %s", name, gc.Type(), tc.Type())
		}
		for i := range dst {
			dst[i], _ = frame.FloatAt(gc, i)
		}
	}
	return m, nil
}
