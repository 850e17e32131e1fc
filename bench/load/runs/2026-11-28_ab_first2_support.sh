cd /work/main
for s in $(seq 1 15); do
  for b in old new; do
    /tmp/br_bench_$b bench/load/data --sets $s-$s --first 2 --time 5 --variants support 2>/dev/null | tail -n +2 | sed "s/^/$b,/" >> /tmp/ab.csv
  done
done
echo done >> /tmp/ab.csv
