{
  "targets": [
    {
      "target_name": "diskann",
      "sources": ["src/addon.c", "src/helpers.c", "src/async.c"],
      "include_dirs": ["../c/include"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror"],
      "libraries": [
        "-L<(module_root_dir)/../c/target/native",
        "-ldiskann",
        "-Wl,-rpath,<(module_root_dir)/../c/target/native"
      ]
    }
  ]
}
