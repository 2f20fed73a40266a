package nornic

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill NornicDB when the test process ends,
// however it ends: a test binary killed at its -timeout runs no cleanup,
// and an orphaned server would hold its ports and a core.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
