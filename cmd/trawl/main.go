// Command trawl is a Trivy-compatible security scanner for container images
// and filesystems. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/trawlsec/trawl/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
