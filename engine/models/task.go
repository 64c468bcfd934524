package models

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/mlwb/mlwb/engine/frame"
)

// Task is what a model predicts.
type Task uint8

// The tasks. The zero value is Regression.
const (
	Regression Task = iota // a real value
	Binary                 // one of two classes
	Multiclass             // one of three or more classes
	Clustering             // no target: a cluster index
)

var taskNames = [...]string{"regression", "binary", "multiclass", "clustering"}

// String returns the task's stable name: regression, binary, multiclass or clustering.
func (t Task) String() string {
	if int(t) < len(taskNames) {
		return taskNames[t]
	}
	return fmt.Sprintf("Task(%d)", t)
}

// ParseTask returns the Task named s (as returned by Task.String).
func ParseTask(s string) (Task, error) {
	for i, n := range taskNames {
		if n == s {
			return Task(i), nil
		}
	}
	return 0, fmt.Errorf("models: unknown task %q (want regression, binary, multiclass or clustering)", s)
}

// Classifier reports whether the task predicts classes.
func (t Task) Classifier() bool { return t == Binary || t == Multiclass }

// MaxIntClasses is the largest number of distinct values an int target may
// have to be taken as classes rather than a regression target.
const MaxIntClasses = 20

// DetectTask decides the task of a target column and, for classification,
// its class labels in sorted order (sorted as text for categorical and string
// columns, as numbers for int columns; bool gives "false", "true"). The class
// index of a row is the position of its label in that list, as EncodeTarget
// writes it, and as scikit-learn's LabelEncoder numbers them.
//
// Categorical, string and bool columns are classes; an int column with 2 to
// MaxIntClasses distinct values is classes, otherwise regression; a float
// column is regression. A target with missing values is an error naming the
// count (drop those rows first), as is a classification target with one class
// and a datetime target.
func DetectTask(target frame.Column) (Task, []string, error) {
	name := target.Name()
	if n := target.NullCount(); n > 0 {
		return 0, nil, fmt.Errorf("models: target %q has %d missing values; drop those rows first", name, n)
	}
	if target.Len() == 0 {
		return 0, nil, fmt.Errorf("models: target %q has no rows", name)
	}
	var labels []string
	switch c := target.(type) {
	case *frame.Float64Col:
		for _, v := range c.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, nil, fmt.Errorf("models: target %q has non-finite values (%v)", name, v)
			}
		}
		return Regression, nil, nil
	case *frame.Int64Col:
		seen := map[int64]bool{}
		for _, v := range c.Data {
			if !seen[v] {
				seen[v] = true
				if len(seen) > MaxIntClasses {
					return Regression, nil, nil
				}
			}
		}
		vals := make([]int64, 0, len(seen))
		for v := range seen {
			vals = append(vals, v)
		}
		sort.Slice(vals, func(a, b int) bool { return vals[a] < vals[b] })
		for _, v := range vals {
			labels = append(labels, strconv.FormatInt(v, 10))
		}
	case *frame.BoolCol:
		var f, t bool
		for _, v := range c.Data {
			f, t = f || !v, t || v
		}
		if f {
			labels = append(labels, "false")
		}
		if t {
			labels = append(labels, "true")
		}
	case *frame.CategoricalCol:
		used := make([]bool, len(c.Levels))
		for _, k := range c.Codes {
			used[k] = true
		}
		for k, u := range used {
			if u {
				labels = append(labels, c.Levels[k])
			}
		}
		sort.Strings(labels)
	case *frame.StringCol:
		seen := map[string]bool{}
		for _, v := range c.Data {
			if !seen[v] {
				seen[v] = true
				labels = append(labels, v)
			}
		}
		sort.Strings(labels)
	default:
		return 0, nil, fmt.Errorf("models: target %q is %s; want a number, bool, categorical or string column", name, target.Type())
	}
	if len(labels) == 1 {
		return 0, nil, fmt.Errorf("models: target %q has one class (%q); nothing to learn", name, labels[0])
	}
	if len(labels) == 2 {
		return Binary, labels, nil
	}
	return Multiclass, labels, nil
}

// EncodeTarget returns y for a target column: its values for Regression, and
// for classification each row's index in classes (as DetectTask returned
// them). A value not among classes is an error naming it.
func EncodeTarget(target frame.Column, task Task, classes []string) ([]float64, error) {
	name := target.Name()
	if n := target.NullCount(); n > 0 {
		return nil, fmt.Errorf("models: target %q has %d missing values; drop those rows first", name, n)
	}
	if !task.Classifier() {
		y, err := frame.Floats(target)
		if err != nil {
			return nil, fmt.Errorf("models: target %q is %s; regression needs numbers", name, target.Type())
		}
		return y, nil
	}
	index := make(map[string]int, len(classes))
	for k, c := range classes {
		index[c] = k
	}
	y := make([]float64, target.Len())
	for i := range y {
		var s string
		switch c := target.(type) {
		case *frame.CategoricalCol:
			s = c.Levels[c.Codes[i]]
		case *frame.StringCol:
			s = c.Data[i]
		case *frame.BoolCol:
			s = strconv.FormatBool(c.Data[i])
		case *frame.Int64Col:
			s = strconv.FormatInt(c.Data[i], 10)
		default:
			s = target.Format(i)
		}
		k, ok := index[s]
		if !ok {
			return nil, fmt.Errorf("models: target %q row %d has class %q, not among the %d classes", name, i+1, s, len(classes))
		}
		y[i] = float64(k)
	}
	return y, nil
}
