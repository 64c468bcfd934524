package models

import (
	"fmt"
	"math"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// Matrix is a dense Rows × Cols matrix of features stored column by column:
// column j is Data[j*Rows:(j+1)*Rows]. NaN marks a missing value. Names, when
// set, has one name per column.
type Matrix struct {
	Rows, Cols int
	Data       []float64
	Names      []string
}

// NewMatrix returns a zero rows × cols matrix with no names.
func NewMatrix(rows, cols int) *Matrix {
	return &Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
}

// Col returns column j (a view, not a copy).
func (m *Matrix) Col(j int) []float64 { return m.Data[j*m.Rows : (j+1)*m.Rows : (j+1)*m.Rows] }

// At returns the value in row i, column j.
func (m *Matrix) At(i, j int) float64 { return m.Data[j*m.Rows+i] }

// Set sets the value in row i, column j.
func (m *Matrix) Set(i, j int, v float64) { m.Data[j*m.Rows+i] = v }

// TakeRows returns a new matrix with the rows idx, in that order.
func (m *Matrix) TakeRows(idx []int) *Matrix {
	out := NewMatrix(len(idx), m.Cols)
	out.Names = m.Names
	for j := 0; j < m.Cols; j++ {
		src, dst := m.Col(j), out.Col(j)
		for k, i := range idx {
			dst[k] = src[i]
		}
	}
	return out
}

// name returns column j's name, or "x<j>" when the matrix has no names.
func (m *Matrix) name(j int) string {
	if j < len(m.Names) {
		return m.Names[j]
	}
	return fmt.Sprintf("x%d", j)
}

// FromFrame returns the features columns of f as a Matrix. Float, int, bool
// (0/1) and datetime (Unix nanoseconds) columns are copied as numbers;
// categorical columns become their integer codes (levels in the column's
// order, NaN for missing), which suits trees and not linear models. String
// columns are refused with an error listing them. Missing values become NaN.
func FromFrame(f *frame.Frame, features []string) (*Matrix, error) {
	m := NewMatrix(f.NumRows(), len(features))
	m.Names = append([]string(nil), features...)
	var strs []string
	for j, name := range features {
		c, err := f.Column(name)
		if err != nil {
			return nil, fmt.Errorf("models: %w", err)
		}
		dst := m.Col(j)
		switch c := c.(type) {
		case *frame.CategoricalCol:
			for i, k := range c.Codes {
				if k < 0 {
					dst[i] = math.NaN()
				} else {
					dst[i] = float64(k)
				}
			}
		case *frame.StringCol:
			strs = append(strs, fmt.Sprintf("%q", name))
		default:
			for i := range dst {
				dst[i], _ = frame.FloatAt(c, i)
			}
		}
	}
	switch len(strs) {
	case 0:
		return m, nil
	case 1:
		return nil, fmt.Errorf("models: column %s is string; encode it first", strs[0])
	default:
		return nil, fmt.Errorf("models: columns %s are string; encode them first", strings.Join(strs, ", "))
	}
}
