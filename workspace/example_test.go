package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/mlwb/mlwb/workspace"
)

func Example() {
	dir, _ := os.MkdirTemp("", "mlwb-example")
	defer os.RemoveAll(dir)
	proj := filepath.Join(dir, "churn")

	w, err := workspace.Init(proj, "")
	if err != nil {
		log.Fatal(err)
	}
	c := w.Card()
	c.Task, c.Target = workspace.TaskBinary, "churned"
	c.Metric.Name = "roc_auc"
	if err := w.SaveCard(c); err != nil {
		log.Fatal(err)
	}

	// Later, or in another process:
	w2, err := workspace.Open(proj)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w2.Card().Name, w2.Card().Task, w2.Card().Metric.Name)
	events, _ := w2.History(0)
	for _, e := range events {
		fmt.Println(e.Action)
	}

	// Transactions that span several operations take the lock themselves.
	l, err := w2.Lock(context.Background(), workspace.LockFail)
	if err != nil {
		log.Fatal(err)
	}
	_, err = w.Lock(context.Background(), workspace.LockFail)
	fmt.Println(errors.Is(err, workspace.ErrLocked))
	l.Unlock()

	_, err = workspace.Open(dir)
	fmt.Println(errors.Is(err, workspace.ErrNotWorkspace))
	// Output:
	// churn binary roc_auc
	// init
	// card.save
	// true
	// true
}
