// runc-capstrip is registered as dockerd's default OCI runtime on hosts whose
// capability bounding set lacks CAP_SYS_RESOURCE (some VMs). There, runc fails every
// privileged container ("unable to apply caps: operation not permitted") because
// --privileged asks for all capabilities, including one the host cannot grant.
// The wrapper removes that capability from the OCI spec runc is about to apply —
// the bundle's config.json for create/run, the --process file for exec — and then
// replaces itself with the real runc. Nothing else in the spec is changed.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// realRunc is set at build time (-ldflags "-X main.realRunc=/usr/sbin/runc").
var realRunc = "/usr/sbin/runc"

const droppedCapability = "CAP_SYS_RESOURCE"

// runc global flags that take a value; needed to find the subcommand.
var globalFlagsWithValue = map[string]bool{
	"--root": true, "--log": true, "--log-format": true, "--criu": true, "--rootless": true,
}

func main() {
	args := os.Args[1:]
	command, rest := splitCommand(args)
	switch command {
	case "create", "run":
		bundle := flagValue(rest, "--bundle", "-b")
		if bundle == "" {
			bundle = "."
		}
		if err := stripFile(filepath.Join(bundle, "config.json"), processOfBundle); err != nil {
			fail(err)
		}
	case "exec":
		if process := flagValue(rest, "--process", "-p"); process != "" {
			if err := stripFile(process, processItself); err != nil {
				fail(err)
			}
		}
	}
	argv := append([]string{realRunc}, args...)
	if err := syscall.Exec(realRunc, argv, os.Environ()); err != nil {
		fail(fmt.Errorf("exec %s: %w", realRunc, err))
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "runc-capstrip: %v\n", err)
	os.Exit(1)
}

// splitCommand returns runc's subcommand and the arguments after it.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) > 0 && a[0] == '-' {
			if globalFlagsWithValue[a] && i+1 < len(args) {
				i++
			}
			continue
		}
		return a, args[i+1:]
	}
	return "", nil
}

func flagValue(args []string, long, short string) string {
	for i, a := range args {
		switch {
		case (a == long || a == short) && i+1 < len(args):
			return args[i+1]
		case len(a) > len(long)+1 && a[:len(long)+1] == long+"=":
			return a[len(long)+1:]
		}
	}
	return ""
}

func processOfBundle(doc map[string]any) map[string]any {
	p, _ := doc["process"].(map[string]any)
	return p
}

func processItself(doc map[string]any) map[string]any { return doc }

func stripFile(path string, process func(map[string]any) map[string]any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p := process(doc)
	if p == nil {
		return nil
	}
	caps, _ := p["capabilities"].(map[string]any)
	if caps == nil || !stripCapability(caps) {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}

// stripCapability removes the capability from every set; reports whether it changed anything.
func stripCapability(caps map[string]any) bool {
	changed := false
	for set, value := range caps {
		list, ok := value.([]any)
		if !ok {
			continue
		}
		kept := list[:0:0]
		for _, c := range list {
			if c == droppedCapability {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	return changed
}
