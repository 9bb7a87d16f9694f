package app

import (
	"log/slog"
	"testing"
	"time"
)

func TestReportTime(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	o := &Options{Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)}
	for _, c := range []struct {
		env  string
		set  bool
		want time.Time
	}{
		{set: false, want: now},
		{env: "1700000000", set: true, want: time.Unix(1700000000, 0).UTC()},
		{env: "0", set: true, want: time.Unix(0, 0).UTC()},
		{env: "yesterday", set: true, want: now},
		{env: "-5", set: true, want: now},
	} {
		if c.set {
			t.Setenv("SOURCE_DATE_EPOCH", c.env)
		}
		if got := reportTime(o); !got.Equal(c.want) {
			t.Errorf("SOURCE_DATE_EPOCH=%q (set %v): %v, want %v", c.env, c.set, got, c.want)
		}
	}
}
