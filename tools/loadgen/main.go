// Command loadgen is the Go half of scripts/bench.sh. Its subcommands:
//
//	measure -results F -name N -- CMD ARG...   run CMD; record its wall time and peak memory (max RSS)
//	ready -results F -log L -pid P -since T    wait for the server logging to L to answer /readyz;
//	                                           record the time since T (Unix ns); print its URL
//	mem -results F -name N -pid P              record a process's VmRSS and VmHWM
//	load -results F -url U -nodes CSV ...      send the query mix (see load.go); record latencies
//	report -results F                          print the results as one markdown table
//
// Every step appends lines "key value…" to the results file, which report
// reads; the numbers are measured here rather than in the shell, so that
// the script needs nothing beyond Go and Debian's Python.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen measure|ready|mem|load|report [flags]")
		os.Exit(2)
	}
	commands := map[string]func([]string) error{
		"measure": runMeasure, "ready": runReady, "mem": runMem, "load": runLoad, "report": runReport,
	}
	run, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "loadgen: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
	if err := run(os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen %s: %v\n", os.Args[1], err)
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		os.Exit(1)
	}
}

// record appends one line of results.
func record(results string, key string, values ...any) error {
	f, err := os.OpenFile(results, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	line := key
	for _, v := range values {
		line += " " + fmt.Sprint(v)
	}
	if _, err := fmt.Fprintln(f, line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runMeasure runs a command with the terminal's output and records its wall
// time and the kernel's count of its peak resident memory (getrusage's
// ru_maxrss), which, unlike sampling /proc, cannot miss a short peak.
func runMeasure(args []string) error {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	results := fs.String("results", "", "results file")
	name := fs.String("name", "", "results key prefix")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 || *results == "" || *name == "" {
		return errors.New("usage: measure -results F -name N -- CMD ARG...")
	}
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	// Pass an interrupt on, so that stopping the benchmark stops the
	// command too rather than leaving it running.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for sig := range signals {
			_ = cmd.Process.Signal(sig) // it may have ended already
		}
	}()
	err := cmd.Wait()
	signal.Stop(signals)
	close(signals)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	elapsed := time.Since(start)
	usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return errors.New("no resource usage for the command on this system")
	}
	if err := record(*results, *name+"_seconds", elapsed.Seconds()); err != nil {
		return err
	}
	return record(*results, *name+"_maxrss_kb", usage.Maxrss) // kilobytes on Linux
}

var listening = regexp.MustCompile(`msg=listening addr=(\S+)`)

// runReady waits for the server's "listening" log line, then polls /readyz
// until it answers 200, and records the time since -since: the server's
// start-to-ready time. It fails early if the server exits.
func runReady(args []string) error {
	fs := flag.NewFlagSet("ready", flag.ContinueOnError)
	results := fs.String("results", "", "results file")
	logFile := fs.String("log", "", "the server's log (text format)")
	pid := fs.Int("pid", 0, "the server's process id")
	since := fs.Int64("since", 0, "when the server was started, in Unix nanoseconds")
	timeout := fs.Duration("timeout", 10*time.Minute, "longest wait")
	if err := fs.Parse(args); err != nil {
		return err
	}
	deadline := time.Now().Add(*timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	url := ""
	for {
		if err := syscall.Kill(*pid, 0); err != nil {
			return fmt.Errorf("the server (pid %d) exited; its log:\n%s", *pid, tail(*logFile))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server was not ready after %s; its log:\n%s", *timeout, tail(*logFile))
		}
		if url == "" {
			if m := listening.FindSubmatch(readFile(*logFile)); m != nil {
				url = "http://" + string(m[1])
			}
		}
		if url != "" {
			resp, err := client.Get(url + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	ready := time.Since(time.Unix(0, *since))
	fmt.Println(url)
	return record(*results, "ready_seconds", ready.Seconds())
}

func readFile(name string) []byte {
	data, _ := os.ReadFile(name) // not there yet: nothing logged yet
	return data
}

func tail(name string) string {
	lines := strings.Split(strings.TrimSpace(string(readFile(name))), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// runMem records a process's resident memory (VmRSS) and its peak so far
// (VmHWM), from /proc.
func runMem(args []string) error {
	fs := flag.NewFlagSet("mem", flag.ContinueOnError)
	results := fs.String("results", "", "results file")
	name := fs.String("name", "", "results key suffix")
	pid := fs.Int("pid", 0, "process id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", *pid))
	if err != nil {
		return err
	}
	defer f.Close()
	found := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if key == "VmRSS" || key == "VmHWM" {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
			if ok && err == nil {
				found[key] = kb
			}
		}
	}
	if len(found) != 2 {
		return fmt.Errorf("no VmRSS and VmHWM in /proc/%d/status", *pid)
	}
	if err := record(*results, "rss_"+*name+"_kb", found["VmRSS"]); err != nil {
		return err
	}
	return record(*results, "hwm_"+*name+"_kb", found["VmHWM"])
}
