package models_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/mlwb/mlwb/engine/models"
)

// A gradient-boosted classifier on a tiny table: fit, predict
// probabilities, save and load.
func Example_gbdt() {
	// Column-major: x0 = 1..8, then x1.
	X := &models.Matrix{Rows: 8, Cols: 2, Names: []string{"x0", "x1"},
		Data: []float64{1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 1, 0, 1, 0, 1}}
	y := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	m, err := models.New("gbdt", map[string]string{"n_estimators": "20", "max_depth": "2", "min_child_weight": "0"}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	opt := models.FitOptions{Task: models.Binary, Classes: []string{"no", "yes"}}
	if err := m.Fit(context.Background(), X, y, nil, opt); err != nil {
		fmt.Println(err)
		return
	}
	p := make([]float64, 2*X.Rows)
	m.PredictProba(X, p)
	fmt.Printf("P(yes | x0=1) = %.3f, P(yes | x0=8) = %.3f\n", p[1], p[15])

	var file bytes.Buffer
	models.Save(&file, m)
	back, err := models.Load(&file)
	fmt.Println(back.Kind(), back.Task(), back.Classes(), err)

	_, err = models.New("gbdt", map[string]string{"max_dpth": "3"}, 1)
	fmt.Println(err)
	// Output:
	// P(yes | x0=1) = 0.198, P(yes | x0=8) = 0.802
	// gbdt binary [no yes] <nil>
	// models: gbdt has no parameter "max_dpth" (did you mean "max_depth"?)
}
