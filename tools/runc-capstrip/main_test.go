package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSplitCommandSkipsGlobalFlags(t *testing.T) {
	cmd, rest := splitCommand([]string{"--root", "/run/runc", "--debug", "create", "--bundle", "/b", "id"})
	if cmd != "create" || !reflect.DeepEqual(rest, []string{"--bundle", "/b", "id"}) {
		t.Fatalf("got %q %v", cmd, rest)
	}
}

func TestFlagValueLongShortAndEquals(t *testing.T) {
	for _, args := range [][]string{{"-b", "/x"}, {"--bundle", "/x"}, {"--bundle=/x"}} {
		if got := flagValue(args, "--bundle", "-b"); got != "/x" {
			t.Fatalf("%v: got %q", args, got)
		}
	}
}

func TestStripFileRemovesOnlyTheCapability(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.json")
	spec := `{"ociVersion":"1.0.2","process":{"args":["sh"],"capabilities":{"bounding":["CAP_CHOWN","CAP_SYS_RESOURCE"],"effective":["CAP_SYS_RESOURCE"]}}}`
	if err := os.WriteFile(path, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := stripFile(path, processOfBundle); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	caps := doc["process"].(map[string]any)["capabilities"].(map[string]any)
	if !reflect.DeepEqual(caps["bounding"], []any{"CAP_CHOWN"}) || !reflect.DeepEqual(caps["effective"], []any{}) {
		t.Fatalf("caps after strip: %v", caps)
	}
	if doc["ociVersion"] != "1.0.2" {
		t.Fatalf("other fields changed: %v", doc)
	}
}
