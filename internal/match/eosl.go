package match

import (
	"strings"
	"time"

	"github.com/trawlsec/trawl/pkg/model"
)

// eolDates holds the end of (security) support of distribution releases,
// keyed by family and release ("3.10", "12", "22.04"). For Debian and
// Ubuntu LTS releases it is the end of the long-term (Debian LTS, Ubuntu
// ESM) support, as Trivy counts it.
func eolDates(family string) map[string]string {
	switch family {
	case model.FamilyAlpine:
		return map[string]string{
			"2.0": "2012-04-01", "2.1": "2012-11-01", "2.2": "2013-05-01", "2.3": "2013-11-01",
			"2.4": "2014-05-01", "2.5": "2014-11-01", "2.6": "2015-05-01", "2.7": "2015-11-01",
			"3.0": "2016-05-01", "3.1": "2016-11-01", "3.2": "2017-05-01", "3.3": "2017-11-01",
			"3.4": "2018-05-01", "3.5": "2018-11-01", "3.6": "2019-05-01", "3.7": "2019-11-01",
			"3.8": "2020-05-01", "3.9": "2020-11-01", "3.10": "2021-05-01", "3.11": "2021-11-01",
			"3.12": "2022-05-01", "3.13": "2022-11-01", "3.14": "2023-05-01", "3.15": "2023-11-01",
			"3.16": "2024-05-23", "3.17": "2024-11-22", "3.18": "2025-05-09", "3.19": "2025-11-01",
			"3.20": "2026-04-01", "3.21": "2026-11-01", "3.22": "2027-05-01", "3.23": "2027-11-01",
		}
	case model.FamilyDebian:
		return map[string]string{
			"1.1": "1997-06-05", "1.2": "1998-06-05", "1.3": "1999-03-09", "2.0": "2000-03-09",
			"2.1": "2000-10-30", "2.2": "2003-07-30", "3.0": "2006-06-30", "3.1": "2008-03-30",
			"4": "2010-02-15", "5": "2012-02-06", "6": "2016-02-29", "7": "2018-05-31",
			"8": "2020-06-30", "9": "2022-06-30", "10": "2024-06-30", "11": "2026-08-31",
			"12": "2028-06-30", "13": "2030-06-30",
		}
	case model.FamilyUbuntu:
		return map[string]string{
			"4.10": "2006-04-30", "5.04": "2006-10-31", "5.10": "2007-04-13", "6.06": "2011-06-01",
			"6.10": "2008-04-25", "7.04": "2008-10-19", "7.10": "2009-04-18", "8.04": "2013-05-09",
			"8.10": "2010-04-30", "9.04": "2010-10-23", "9.10": "2011-04-30", "10.04": "2015-04-30",
			"10.10": "2012-04-10", "11.04": "2012-10-28", "11.10": "2013-05-09", "12.04": "2019-04-26",
			"12.10": "2014-05-16", "13.04": "2014-01-27", "13.10": "2014-07-17", "14.04": "2024-04-25",
			"14.10": "2015-07-23", "15.04": "2016-02-04", "15.10": "2016-07-28", "16.04": "2026-04-23",
			"16.10": "2017-07-20", "17.04": "2018-01-13", "17.10": "2018-07-19", "18.04": "2028-04-26",
			"18.10": "2019-07-18", "19.04": "2020-01-23", "19.10": "2020-07-17", "20.04": "2030-04-23",
			"20.10": "2021-07-22", "21.04": "2022-01-20", "21.10": "2022-07-14", "22.04": "2032-04-09",
			"22.10": "2023-07-20", "23.04": "2024-01-25", "23.10": "2024-07-11", "24.04": "2034-04-25",
			"24.10": "2025-07-10", "25.04": "2026-01-15", "25.10": "2026-07-09", "26.04": "2036-04-30",
		}
	case model.FamilyRedHat:
		return map[string]string{"4": "2017-05-31", "5": "2020-11-30", "6": "2024-06-30",
			"7": "2028-06-30", "8": "2032-05-31", "9": "2035-05-31", "10": "2038-05-31"}
	case model.FamilyCentOS:
		return map[string]string{"3": "2010-10-31", "4": "2012-02-29", "5": "2017-03-31",
			"6": "2020-11-30", "7": "2024-06-30", "8": "2021-12-31"}
	case model.FamilyRocky:
		return map[string]string{"8": "2029-05-31", "9": "2032-05-31", "10": "2035-05-31"}
	case model.FamilyAlma:
		return map[string]string{"8": "2029-03-01", "9": "2032-05-31", "10": "2035-05-31"}
	case model.FamilyOracle:
		return map[string]string{"5": "2017-06-30", "6": "2021-03-01", "7": "2024-12-31",
			"8": "2029-07-31", "9": "2032-06-30"}
	case model.FamilyAmazon:
		return map[string]string{"1": "2023-12-31", "2": "2026-06-30", "2023": "2029-06-30"}
	}
	return nil
}

// releaseKey turns an OS version into the key of eolDates: "3.10.4" →
// "3.10" (Alpine, Ubuntu), "12.15" → "12" (Debian ≥ 4 and the RPM
// families, by major version), "3.1r8" → "3.1" (old Debian).
func releaseKey(family, name string) string {
	name = strings.TrimSpace(name)
	if i := strings.IndexAny(name, " _-"); i >= 0 {
		name = name[:i] // "2 (Karoo)", "3.20.0_alpha…"
	}
	parts := strings.Split(name, ".")
	num := func(s string) string {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return s[:i]
	}
	major := num(parts[0])
	if major == "" {
		return ""
	}
	minor := ""
	if len(parts) > 1 {
		minor = num(parts[1])
	}
	switch family {
	case model.FamilyAlpine:
		if minor == "" {
			return ""
		}
		return major + "." + minor
	case model.FamilyUbuntu:
		if len(minor) == 1 {
			minor = "0" + minor
		}
		return major + "." + minor
	case model.FamilyDebian:
		if major < "4" && len(major) == 1 && minor != "" {
			return major + "." + minor
		}
	}
	return major
}

// EOSL reports whether the OS release had reached the end of its security
// support at now, from a built-in table of Alpine, Debian, Ubuntu, Red Hat,
// CentOS, Rocky, Alma, Oracle and Amazon Linux release dates. A release the
// table does not know (edge, testing, a future release) is not EOSL.
func EOSL(o *model.OS, now time.Time) bool {
	if !o.Detected() {
		return false
	}
	dates := eolDates(o.Family)
	if dates == nil {
		return false
	}
	d, ok := dates[releaseKey(o.Family, o.Name)]
	if !ok {
		return false
	}
	eol, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return false
	}
	return now.After(eol)
}
