package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The helper process: the test binary re-executed with CCECERT_STORE_HELPER
// set runs one job against the kubeconfig in CCECERT_STORE_FILE.
const (
	helperEnv  = "CCECERT_STORE_HELPER"
	helperFile = "CCECERT_STORE_FILE"
)

func TestHelperProcess(t *testing.T) {
	job := os.Getenv(helperEnv)
	if job == "" {
		return // not a helper: nothing to test here
	}
	path := os.Getenv(helperFile)
	ca := newCA(t)
	switch job {
	case "merge-many":
		// Merge targets p0..p9 (the parent merges others).
		for i := 0; i < 10; i++ {
			tgt := cceTarget(fmt.Sprintf("proc-%d", i), "r", fmt.Sprintf("p%d", i))
			if _, err := mergeFile(path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{LockTimeout: time.Minute}); err != nil {
				fmt.Fprintln(os.Stderr, "helper merge:", err)
				os.Exit(2)
			}
		}
		os.Exit(0)
	case "die-after-temp":
		// Write the temp file, say so, then wait to be killed before the
		// rename.
		tgt := cceTarget("doomed", "r", "d1")
		opts := MergeOptions{hooks: writeHooks{afterTemp: func(tmp string) {
			fmt.Println("TEMP-WRITTEN", tmp)
			time.Sleep(time.Hour)
		}}}
		_, err := mergeFile(path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), opts)
		fmt.Fprintln(os.Stderr, "helper survived:", err)
		os.Exit(3)
	}
	os.Exit(4)
}

// helper starts the test binary as a helper process for job.
func helper(t *testing.T, job, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+job, helperFile+"="+path)
	return cmd
}

func TestConcurrentMergesGoroutinesAndProcesses(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	if err := os.WriteFile(path, []byte(userKubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	other := helper(t, "merge-many", path)
	other.Stderr = &stderr
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	ca := newCA(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		tgt := cceTarget(fmt.Sprintf("go-%d", i), "r", fmt.Sprintf("g%d", i))
		e := entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := mergeFile(path, e, MergeOptions{LockTimeout: time.Minute}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := other.Wait(); err != nil {
		t.Fatalf("helper process: %v: %s", err, stderr.String())
	}
	cfg := loadFile(t, path)
	for i := 0; i < 20; i++ {
		if _, ok := cfg.Contexts[fmt.Sprintf("go-%d-internal", i)]; !ok {
			t.Errorf("goroutine target %d missing", i)
		}
	}
	for i := 0; i < 10; i++ {
		if _, ok := cfg.Contexts[fmt.Sprintf("proc-%d-external", i)]; !ok {
			t.Errorf("process target %d missing", i)
		}
	}
	if len(cfg.Contexts) != 1+2*30 || len(cfg.AuthInfos) != 1+30 {
		t.Errorf("%d contexts, %d users", len(cfg.Contexts), len(cfg.AuthInfos))
	}
	if _, err := os.Stat(path + ".lock"); err == nil {
		t.Error("lock file left behind")
	}
}

func TestWriterKilledBeforeRenameLeavesOldFile(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	if err := os.WriteFile(path, []byte(userKubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := helper(t, "die-after-temp", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "TEMP-WRITTEN ") {
		_ = cmd.Process.Kill()
		t.Fatalf("helper said %q (%v)", line, err)
	}
	tmp := strings.TrimSpace(strings.TrimPrefix(line, "TEMP-WRITTEN "))
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // reap it, so its pid is really gone
	if got, _ := os.ReadFile(path); string(got) != userKubeconfig {
		t.Fatal("the kubeconfig changed although the writer died before the rename")
	}
	lock, err := os.ReadFile(path + ".lock")
	if err != nil || !strings.HasPrefix(string(lock), strconv.Itoa(cmd.Process.Pid)+" ") {
		t.Fatalf("the dead writer's lock should still be there: %q %v", lock, err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("its temp file should still be there: %v", err)
	}
	// The next writer takes over the dead lock and cleans the temp file.
	tgt := cceTarget("next", "r", "n1")
	if _, err := mergeFile(path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{LockTimeout: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	cfg := loadFile(t, path)
	if _, ok := cfg.Contexts["next-internal"]; !ok || cfg.Contexts["minikube"] == nil {
		t.Fatal("next merge lost entries")
	}
	if _, ok := cfg.Contexts["doomed-internal"]; ok {
		t.Fatal("the dead writer's change appeared")
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Error("the dead writer's temp file was not cleaned up")
	}
}

func TestKubectlReadsWrittenFile(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed")
	}
	dir := hermetic(t)
	path := filepath.Join(dir, "config")
	ca := newCA(t)
	a, b := cceTarget("prod", "r1", "c1"), cceTarget("prod", "r2", "c2")
	mergeT(t, path, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{SetCurrent: true})
	mergeT(t, path, Entry{Target: b, Contexts: issuedFor(t, ca, b, t0, t0.Add(Day)).Contexts, Mode: ModeExec, CredentialID: "abcd1234"}, MergeOptions{})
	env := []string{"HOME=" + dir, "KUBECONFIG=" + path, "PATH=" + os.Getenv("PATH"), "XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg"), "XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}
	run := func(args ...string) string {
		cmd := exec.Command(kubectl, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	contexts := run("config", "get-contexts", "-o", "name")
	for _, want := range []string{"prod-internal", "prod-external", "prod-r2-internal", "prod-r2-external"} {
		if !strings.Contains(contexts, want+"\n") {
			t.Errorf("get-contexts lacks %s:\n%s", want, contexts)
		}
	}
	view := run("config", "view", "-o", "jsonpath={.current-context} {.users[*].name}")
	if view != "prod-internal ccecert-prod ccecert-prod-r2" {
		t.Errorf("config view: %q", view)
	}
	if cur := run("config", "current-context"); strings.TrimSpace(cur) != "prod-internal" {
		t.Errorf("current-context %q", cur)
	}
}
