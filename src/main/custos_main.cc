// SPDX-License-Identifier: Apache-2.0
// Placeholder entry point until the CLI lands.
int main() { return 0; }
