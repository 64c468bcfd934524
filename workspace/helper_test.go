package workspace

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// helperEnv selects a helper role when the test binary re-executes itself
// (the os/exec test pattern): the child runs the role instead of the tests.
const helperEnv = "MLWB_WORKSPACE_HELPER"

func TestMain(m *testing.M) {
	if role := os.Getenv(helperEnv); role != "" {
		if err := runHelper(role, os.Args[len(os.Args)-1]); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// startHelper runs the test binary as helper role with arg, and waits for
// its first stdout line, which must be "ready".
func startHelper(t *testing.T, role, arg string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", arg)
	cmd.Env = append(os.Environ(), helperEnv+"="+role)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("helper %s: got %q, %v", role, line, err)
	}
	return cmd, stdin, r
}

func runHelper(role, arg string) error {
	switch role {
	case "lock":
		// Hold the workspace lock until stdin closes.
		w, err := Open(arg)
		if err != nil {
			return err
		}
		l, err := w.Lock(context.Background(), LockFail)
		if err != nil {
			return err
		}
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
		return l.Unlock()
	case "atomic":
		// Replace arg with ever new generations until killed.
		for gen := 1; ; gen++ {
			if err := WriteFileAtomic(arg, generation(gen), 0o644); err != nil {
				return err
			}
			if gen == 1 {
				fmt.Println("ready")
			}
		}
	case "churn":
		// Change every part of the workspace until killed.
		w, err := OpenWith(arg, Options{Codec: testCodec})
		if err != nil {
			return err
		}
		fmt.Println("ready")
		ctx := context.Background()
		for i := 0; ; i++ {
			if _, err := w.ImportFrame(ctx, "d"+strconv.Itoa(i%3), "", testFrame(200+i)); err != nil {
				return err
			}
			var s State
			s.Dataset, s.Screen = "d"+strconv.Itoa(i%3), "data"
			s.Set("data", "row", strconv.Itoa(i))
			if err := w.SaveState(s); err != nil {
				return err
			}
			c := w.Card()
			c.Description = "iteration " + strconv.Itoa(i)
			if err := w.SaveCard(c); err != nil {
				return err
			}
			if err := w.Log("churn", map[string]any{"i": i}); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("unknown role %q", role)
}

// generation returns the content of generation gen of the atomic-write test:
// 1 MiB whose every byte depends on gen, so any mix or truncation shows.
func generation(gen int) []byte {
	b := make([]byte, 1<<20)
	head := fmt.Sprintf("gen %08d\n", gen)
	copy(b, head)
	for i := len(head); i < len(b); i++ {
		b[i] = byte(gen*31 + i*7)
	}
	return b
}

// testCodec is a stand-in for dataio's Parquet functions: JSON of each
// column's type, formatted values and missing flags. Deterministic, like the
// real writer must be for content hashes to dedupe.
var testCodec = Codec{Write: writeTestFrame, Read: readTestFrame}

type testCol struct {
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	Values []string `json:"values"`
	NA     []bool   `json:"na"`
}

func writeTestFrame(w io.Writer, f *frame.Frame) error {
	cols := make([]testCol, f.NumCols())
	for i, c := range f.Columns() {
		tc := testCol{Name: c.Name(), Type: c.Type().String(), Values: make([]string, c.Len()), NA: make([]bool, c.Len())}
		for r := range c.Len() {
			tc.Values[r], tc.NA[r] = c.Format(r), c.IsNA(r)
		}
		cols[i] = tc
	}
	return json.NewEncoder(w).Encode(cols)
}

func readTestFrame(ctx context.Context, path string) (*frame.Frame, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cols []testCol
	if err := json.Unmarshal(b, &cols); err != nil {
		return nil, err
	}
	out := make([]frame.Column, len(cols))
	for i, tc := range cols {
		mask := frame.MaskFromMissing(tc.NA)
		switch tc.Type {
		case "float":
			d := make([]float64, len(tc.Values))
			for r, v := range tc.Values {
				if !tc.NA[r] {
					if d[r], err = strconv.ParseFloat(v, 64); err != nil {
						return nil, err
					}
				}
			}
			out[i] = frame.NewFloat64(tc.Name, d, mask)
		case "int":
			d := make([]int64, len(tc.Values))
			for r, v := range tc.Values {
				if !tc.NA[r] {
					if d[r], err = strconv.ParseInt(v, 10, 64); err != nil {
						return nil, err
					}
				}
			}
			out[i] = frame.NewInt64(tc.Name, d, mask)
		case "string":
			out[i] = frame.NewString(tc.Name, tc.Values, mask)
		default:
			return nil, fmt.Errorf("test codec: type %s", tc.Type)
		}
	}
	return frame.New(out...)
}

// testFrame returns a small frame whose content depends on n.
func testFrame(n int) *frame.Frame {
	ids := make([]int64, n)
	xs := make([]float64, n)
	names := make([]string, n)
	na := make([]bool, n)
	for i := range n {
		ids[i] = int64(i)
		xs[i] = float64(i) / 4
		names[i] = "row " + strconv.Itoa(i)
		na[i] = i%5 == 0
	}
	return frame.MustNew(
		frame.NewInt64("id", ids, frame.Mask{}),
		frame.NewFloat64("x", xs, frame.MaskFromMissing(na)),
		frame.NewString("name", names, frame.Mask{}),
	)
}

// frameText renders a frame for comparisons.
func frameText(f *frame.Frame) string {
	var b []byte
	for _, c := range f.Columns() {
		b = fmt.Appendf(b, "%s:%s:", c.Name(), c.Type())
		for r := range c.Len() {
			b = fmt.Appendf(b, "%q,", c.Format(r))
		}
		b = append(b, '\n')
	}
	return string(b)
}

// waitTimeout is long enough for a loaded 2-core machine.
const waitTimeout = 30 * time.Second
