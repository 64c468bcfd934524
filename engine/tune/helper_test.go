package tune

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

type helper struct {
	pid   int
	stdin io.WriteCloser
	cmd   *exec.Cmd
}

// startHelper re-executes the test binary as TestLockHelperProcess holding
// the study in dir, and waits until it says it holds the lock.
func startHelper(t *testing.T, dir string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
	cmd.Env = append(os.Environ(), "TUNE_LOCK_HELPER="+dir)
	in, err := cmd.StdinPipe()
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
	h := &helper{pid: cmd.Process.Pid, stdin: in, cmd: cmd}
	t.Cleanup(h.stop)
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- s
		io.Copy(io.Discard, out)
	}()
	select {
	case s := <-line:
		if strings.TrimSpace(s) != "locked" {
			t.Fatalf("helper said %q", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("helper did not take the lock in 30 s")
	}
	return h
}

// stop closes the helper's stdin, which makes it release and exit.
func (h *helper) stop() {
	if h.stdin == nil {
		return
	}
	h.stdin.Close()
	h.stdin = nil
	h.cmd.Wait()
}
