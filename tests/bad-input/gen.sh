# gen.sh — input generators for tests/bad-input/cases.txt. Each writes into $dir (an empty directory)
# and prints the path the command reads; exits 77 when it needs ../shared and it is absent.
# Sourced by tests/cli/bad_input.sh, which sets $dir and $SHARED. Only POSIX sh, dd, head, tr.

sample_evtx() { # a 17-chunk Sysmon log from the shared samples (1,537 records)
    f="$SHARED/samples/evtx-attack-samples/Command and Control/bits_openvpn.evtx"
    [ -f "$f" ] || exit 77
    cp "$f" "$dir/$1"
}
poke() { printf "$2" | dd of="$1" bs=1 seek="$3" conv=notrunc 2>/dev/null; }
good_rule() {
    printf 'title: good\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s: {Image: x}\n  condition: s\n' >"$dir/good.yml"
}
around() { # a bad JSON line between two good events
    { printf '{"before":1}\n'; cat; printf '\n{"after":1}\n'; } >"$dir/$1"
    echo "$dir/$1"
}

# EVTX: the chunk header starts at 4096, records at 4096+512; a record's size is at +4.
evtx_bitflip() { sample_evtx b.evtx; poke "$dir/b.evtx" '\377' $((4096 + 700)); echo "$dir/b.evtx"; }
evtx_record_len() { sample_evtx r.evtx; poke "$dir/r.evtx" '\377\377\377\177' $((4096 + 512 + 4)); echo "$dir/r.evtx"; }
evtx_truncated() { sample_evtx t.evtx; head -c 500000 "$dir/t.evtx" >"$dir/cut.evtx"; echo "$dir/cut.evtx"; }
evtx_noise() {
    { printf 'ElfFile\000'; head -c 70000 /dev/urandom; } >"$dir/noise.evtx"
    printf '{"after":1}\n' >"$dir/z.json"
    echo "$dir"
}

json_deep() {
    { printf '{"d":'; i=0; while [ $i -lt 10000 ]; do printf '['; i=$((i + 1)); done
      while [ $i -gt 0 ]; do printf ']'; i=$((i - 1)); done; printf '}'; } | around deep.json
}
json_nan() { printf '{"n":NaN}' | around nan.json; }
json_dupkey() { printf '{"k":1,"k":2}' | around dup.json; }
json_bad_utf8() { printf '{"u":"\377\376"}' | around utf8.json; }
json_surrogate() { printf '{"s":"\\ud800x"}' | around surrogate.json; }
json_truncated() { printf '{"before":1}\n{"cut":"abc' >"$dir/cut.json"; echo "$dir/cut.json"; }
json_scalar() { printf '42' | around scalar.json; }
json_gigabyte_line_stream() {
    printf '{"before":1}\n{"big":"'
    head -c 1073741824 /dev/zero | tr '\0' a
    printf '"}\n{"after":1}\n'
}

yaml_bomb() {
    good_rule
    { printf 'title: bomb\na: &a ["x","x","x","x","x","x","x","x","x"]\n'
      prev=a
      for n in b c d e f g h i j; do printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev; prev=$n; done
    } >"$dir/bomb.yml"
    echo "$dir"
}
yaml_tabs() { good_rule; printf 'title: tabs\nlogsource:\n\tproduct: windows\n' >"$dir/tabs.yml"; echo "$dir"; }
yaml_bom() {
    good_rule
    printf '\357\273\277title: bom\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s: {Image: x}\n  condition: s\n' >"$dir/bom.yml"
    echo "$dir"
}
yaml_many_rules() {
    good_rule
    i=0
    while [ $i -lt 10000 ]; do
        printf 'title: rule %d\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s: {Image: x%d}\n  condition: s\n---\n' $i $i
        i=$((i + 1))
    done >"$dir/many.yml"
    echo "$dir"
}
yaml_bad_utf8() { good_rule; printf 'title: \377\376 bad\nlogsource: {product: w}\n' >"$dir/badutf8.yml"; echo "$dir"; }
yaml_bad_modifier() {
    good_rule
    printf 'title: t\nlogsource: {product: w}\ndetection:\n  s:\n    a|bogus: 1\n  condition: s\n' >"$dir/modifier.yml"
    echo "$dir"
}
yaml_huge_value() { good_rule; { printf 'title: '; head -c 8388608 /dev/zero | tr '\0' x; printf '\n'; } >"$dir/huge.yml"; echo "$dir"; }
# windash over a 1 MB value (under the 1 MiB value limit) with five option dashes: 3,125
# alternatives would be 3 GB.
yaml_windash_expansion() {
    good_rule
    { printf "title: t\nlogsource: {product: w}\ndetection:\n  s:\n    CommandLine|windash|contains: ' -a -b -c -d -e "
      head -c 1000000 /dev/zero | tr '\0' x; printf "'\n  condition: s\n"; } >"$dir/windash.yml"
    echo "$dir"
}
yaml_garbage() { good_rule; : >"$dir/empty.yml"; head -c 4096 /dev/urandom >"$dir/random.yml"; echo "$dir"; }

# hunt: a regex with catastrophic backtracking on a long value, beside a normal rule. The regex
# gives up at its match limit (reported), the normal rule still fires, and hunting goes on. The
# value ends in a non-ASCII letter: on ASCII text Hyperscan answers such a regex in linear time
# (tests/engine/regex_hs_test.c), so only PCRE2's path can backtrack.
hunt_regex_backtracking() {
    mkdir -p "$dir/rules"
    printf 'title: Backtracking\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    CommandLine|re: (a+)+$\n  condition: sel\n' >"$dir/rules/re.yml"
    printf 'title: Plain Whoami\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: whoami.exe\n  condition: sel\n' >"$dir/rules/plain.yml"
    long=$(head -c 40000 /dev/zero | tr '\0' a)
    for i in 1 2; do
        printf '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","EventRecordID":%s},"EventData":{"Image":"C:\\\\whoami.exe","CommandLine":"%s\303\251"}}}\n' "$i" "$long"
    done >"$dir/ev.jsonl"
    echo "$dir"
}
# hunt: a rule file that does not parse among good ones, and an unreadable input among good ones.
hunt_bad_rule_and_input() {
    mkdir -p "$dir/rules"
    printf 'title: Plain Whoami\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: whoami.exe\n  condition: sel\n' >"$dir/rules/plain.yml"
    printf 'title: broken\ndetection: [\n' >"$dir/rules/broken.yml"
    printf '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","EventRecordID":5},"EventData":{"Image":"C:\\\\whoami.exe"}}}\n' >"$dir/ev.jsonl"
    head -c 5000 /dev/urandom >"$dir/zz.evtx"
    echo "$dir"
}
# build: a rule whose title, description and tags are full of HTML; the pages must escape it (the
# build suite checks the pages themselves; here: built, reported, nothing refused).
build_html_title() {
    mkdir -p "$dir/rules"
    printf 'title: "<script>alert(1)</script><img src=x onerror=alert(2)> & \\"quotes\\""\nid: 6a2b0c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d\nstatus: test\ndescription: "</p><iframe src=javascript:alert(3)>"\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|endswith: "\\\\<b>.exe"}\n  condition: sel\nlevel: high\n' >"$dir/rules/html.yml"
    echo "$dir"
}
