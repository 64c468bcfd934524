// Command csv loads a table with dataio.Load and prints its shape, column
// types and the time taken; it is the program the CSV reader's speed and
// memory figures are measured with:
//
//	go build -o /tmp/csvbench ./bench/csv && /usr/bin/time -v /tmp/csvbench /tmp/wide.csv
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
)

func main() {
	workers := flag.Int("workers", 0, "parsing goroutines (0 = GOMAXPROCS)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: csv [-workers n] file")
		os.Exit(2)
	}
	start := time.Now()
	f, err := dataio.Load(context.Background(), flag.Arg(0), dataio.Options{Workers: *workers})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	el := time.Since(start)
	fmt.Printf("%d rows x %d cols in %.3f s\n", f.NumRows(), f.NumCols(), el.Seconds())
	for _, c := range f.Columns() {
		fmt.Printf("  %-10s %-12s missing %d\n", c.Name(), c.Type(), c.NullCount())
	}
}
