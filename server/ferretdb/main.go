// Command ferretdb-embedded runs FerretDB v1 (SQLite backend) as a local
// MongoDB-compatible server. It is the last-resort embedded database used by
// `npm start` and the tests when MONGODB_URI is unset and no mongod is available.
//
// Usage: ferretdb-embedded -listen 127.0.0.1:27017 -dir /path/to/data
// It prints "READY <addr>" on stdout once it accepts connections and exits on
// SIGTERM/SIGINT or when its stdin closes (so it never outlives its parent).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dir := flag.String("dir", "", "directory for the SQLite files (required)")
	flag.Parse()

	if *dir == "" {
		log.Fatal("-dir is required")
	}
	absDir, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err = os.MkdirAll(absDir, 0o700); err != nil {
		log.Fatal(err)
	}

	addr, err := resolveListenAddr(*listen)
	if err != nil {
		log.Fatal(err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		// WAL (FerretDB sets it) with synchronous=NORMAL: no corruption on a crash, and a
		// commit no longer waits for fsync. A development and test database can trade
		// the last instant of durability on power loss for write throughput.
		SQLiteURL: "file:" + absDir + "/?_pragma=synchronous(NORMAL)",
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// The parent keeps our stdin open; when it dies, stdin closes and we stop too.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	if err = waitForListener(ctx, addr); err != nil {
		log.Fatal(err)
	}
	go keepIdIndexes(ctx, absDir)
	fmt.Printf("READY %s\n", addr)

	if err = <-done; err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

// resolveListenAddr turns port 0 into a concrete free port, because FerretDB's
// embedded API does not report the port it bound.
func resolveListenAddr(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", err
	}
	if port != "0" {
		return listen, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitForListener(ctx context.Context, addr string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("FerretDB did not start listening on %s within 30s", addr)
}
