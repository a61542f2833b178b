/* evtx_twins.c — every .evtx under sigma/regression_data read by the native EVTX reader agrees field
 * for field with its .json twin (written by evtx_dump), read by the JSON reader.
 *
 * Two kinds of known differences, and nothing else, are accepted:
 *   1. By design: GuidType values come out as {UPPER-CASE} with braces (Windows' XML view), where
 *      evtx_dump writes them without braces. Accepted only when our string is exactly "{" + the
 *      twin's GUID + "}".
 *   2. Twins edited after evtx_dump wrote them (trailing whitespace trimmed, one letter case
 *      changed, one timestamp string with 9 fractional digits): each one is listed in
 *      `known_differences` below with file, record, field and both values. A listed difference
 *      that no longer occurs fails the test too, so the list cannot go stale. */
#include "events/evtx_test.h"

typedef struct twin_difference {
    const char *file;   /* relative to sigma/regression_data */
    unsigned record;    /* 0-based position in the file */
    const char *field;  /* '/'-separated path in the event tree */
    const char *evtx;   /* what the EVTX holds (what we read) */
    const char *json;   /* what the JSON twin says */
} twin_difference;

/* Generated once from the comparison and checked by hand: every entry is a twin edited after
 * evtx_dump wrote it (trailing whitespace trimmed; "Explorer.EXE" -> "Explorer.exe"; a SystemTime
 * written as a 9-digit string). */
static const twin_difference known_differences[] = {
    {"rules-emerging-threats/2025/Malware/Grixba/proc_creation_win_malware_grixba_recon/af688c76-4ce4-4309-bfdd-e896f01acf27.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_malicious_npm_package_installation/bae7c70b-8569-44e9-accf-b30073da8a5d.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules-emerging-threats/2026/Exploits/RedSun/win_defender_exploit_redsun_tiering_engine_detected_as_eicar/a7c3e5f2-8b1d-4e9a-b6c2-3d7f5e8a9b4c.evtx",
     0, "Event/EventData/Error Description",
     "The process cannot access the file because it is being used by another process. ",
     "The process cannot access the file because it is being used by another process."},
    {"rules/windows/process_creation/proc_creation_win_amsi_registry_tampering/7dbbcac2-57a0-45ac-b306-ff30a8bd2981.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" ",
     "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_chromium_headless_file_download/0e8cfe08-02c9-4815-a2f8-0d157b7ed33e.evtx",
     0, "Event/EventData/CommandLine",
     "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"  --headless --enable-logging --disable-gpu --dump-dom \"http://10.0.1.14/nas.txt\" ",
     "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\"  --headless --enable-logging --disable-gpu --dump-dom \"http://10.0.1.14/nas.txt\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_chromium_headless_file_download/0e8cfe08-02c9-4815-a2f8-0d157b7ed33e.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_chromium_load_extension/88d6e60c-759d-4ac1-a447-c0f1466c2d21.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_chromium_mockbin_abuse/1c526788-0abe-4713-862f-b520da5e5316.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_chromium_susp_load_extension/27ba3207-dd30-4812-abbf-5d20c57d474e.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_inline_file_download/94771a71-ba41-4b6e-a757-b531372eaab6.evtx",
     0, "Event/EventData/CommandLine",
     "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\"  \"http://10.0.1.14/malware.zip\" ",
     "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\"  \"http://10.0.1.14/malware.zip\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_inline_file_download/94771a71-ba41-4b6e-a757-b531372eaab6.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_browsers_tor_execution/62f7c9bf-9135-49b2-8aeb-1e54a6ecc13c.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Users\\Administrator\\Desktop\\Tor Browser\\Browser\\firefox.exe\" ",
     "\"C:\\Users\\Administrator\\Desktop\\Tor Browser\\Browser\\firefox.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_certificate_installation/d2125259-ddea-4c1c-9c22-977eb5b29cf0.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_decode/cc9cbe82-7bc0-4ef5-bc23-bbfb83947be7.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_download/19b08b1c-861d-4e75-a1ef-ea0c1baf202b.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_download_direct_ip/13e6fe51-d478-4c7e-b0f2-6da9b400a829.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_download_file_sharing_domains/42a5f1e7-9603-4f6d-97ae-3f37d130d794.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_encode/e62a9f0c-ca1e-46b2-85d5-a6da77f86d1a.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_encode_susp_extensions/ea0cdc3e-2239-4f26-a947-4e8f8224e464.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_encode_susp_location/82a6714f-4899-4f16-9c1e-9a333544d4c3.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_export_pfx/3ffd6f51-e6c1-47b7-94b4-c1e61d4117c5.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_certutil_ntlm_coercion/6c6d9280-e6d0-4b9d-80ac-254701b64916.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_chcp_codepage_lookup/7090adee-82e2-4269-bd59-80691e7c6338.evtx",
     0, "Event/EventData/CommandLine",
     "chcp  ",
     "chcp"},
    {"rules/windows/process_creation/proc_creation_win_chcp_codepage_lookup/7090adee-82e2-4269-bd59-80691e7c6338.evtx",
     0, "Event/EventData/ParentCommandLine",
     "cmd.exe  /c chcp ",
     "cmd.exe  /c chcp"},
    {"rules/windows/process_creation/proc_creation_win_chcp_codepage_switch/c7942406-33dd-4377-a564-0f62db0593a3.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_cipher_overwrite_deleted_data/4b046706-5789-4673-b111-66f25fe99534.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_clip_execution/ddeff553-5233-4ae9-bbab-d64d2bd634be.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_cmd_assoc_execution/3d3aa6cd-6272-44d6-8afc-7e88dfef7061.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_cmd_dir_execution/7c9340a9-e2ee-4e43-94c5-c54ebbea1006.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_cmd_mklink_osk_cmd/e9b61244-893f-427c-b287-3e708f321c6b.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_cmd_rmdir_execution/41ca393d-538c-408a-ac27-cf1e038be80c.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_cmdkey_recon/07f8bdc2-c9b3-472a-9817-5a670b872f53.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_conhost_headless_powershell/056c7317-9a09-4bd4-9067-d051312752ea.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_curl_cookie_hijacking/5a6e1e16-07de-48d8-8aae-faa766c05e88.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_curl_custom_user_agent/85de1f22-d189-44e4-8239-dc276b45379b.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_curl_insecure_proxy_or_doh/2c1486f5-02e8-4f86-9099-b97f2da4ed77.evtx",
     0, "Event/EventData/CommandLine",
     "curl  --proxy-insecure -p -x http://127.0.0.1:1234 --silent -v --show-error http://127.0.0.1:888/echo ",
     "curl  --proxy-insecure -p -x http://127.0.0.1:1234 --silent -v --show-error http://127.0.0.1:888/echo"},
    {"rules/windows/process_creation/proc_creation_win_curl_ntlm_hash_leak_attempt/916eb839-895e-47f8-99ee-3008bf377a3e.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_curl_susp_download/e218595b-bbe7-4ee5-8a96-f32a24ad3468.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_devcon_disable_vmci_driver/85f520e7-6f5e-43ca-874c-222e5bf9c0de.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_dirlister_execution/b4dc61f5-6cce-468e-a608-b48b469feaa2.evtx",
     0, "Event/EventData/CommandLine",
     "\"C:\\Users\\Administrator\\Downloads\\DirLister.exe\" ",
     "\"C:\\Users\\Administrator\\Downloads\\DirLister.exe\""},
    {"rules/windows/process_creation/proc_creation_win_discovery_via_reg_queries/0022869c-49f7-4ff2-ba03-85ac42ddac58.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_dism_remove/43e32da2-fdd0-4156-90de-50dfd62636f9.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_driverquery_recon/9fc3072c-dc8f-4bf7-b231-18950000fadd.evtx",
     0, "Event/EventData/CommandLine",
     "\"C:\\Windows\\System32\\driverquery.exe\" ",
     "\"C:\\Windows\\System32\\driverquery.exe\""},
    {"rules/windows/process_creation/proc_creation_win_driverquery_usage/a20def93-0709-4eae-9bd2-31206e21e6b2.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_dsquery_domain_trust_discovery/3bad990e-4848-4a78-9530-b427d854aac0.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_dtrace_kernel_dump/7124aebe-4cd7-4ccb-8df0-6d6b93c96795.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_dtrace_kernel_dump/7124aebe-4cd7-4ccb-8df0-6d6b93c96795.evtx",
     1, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_explorer_folder_shortcut_via_shell_binary/c3d76afc-93df-461e-8e67-9b2bad3f2ac4.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_gpp_passwords/91a2c315-9ee6-4052-a853-6f6a8238f90d.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_lsass/fe63010f-8823-4864-a96b-a7b4a0f7b929.evtx",
     0, "Event/EventData/CommandLine",
     "findstr  lsass ",
     "findstr  lsass"},
    {"rules/windows/process_creation/proc_creation_win_findstr_lsass/fe63010f-8823-4864-a96b-a7b4a0f7b929.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_recon_everyone/47e4bab7-c626-47dc-967b-255608c9a920.evtx",
     0, "Event/EventData/CommandLine",
     "icacls  \"C:\\Program Files\\*\"  ",
     "icacls  \"C:\\Program Files\\*\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_recon_everyone/47e4bab7-c626-47dc-967b-255608c9a920.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_recon_everyone/47e4bab7-c626-47dc-967b-255608c9a920.evtx",
     1, "Event/EventData/CommandLine",
     "findstr  \"(M)\" ",
     "findstr  \"(M)\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_recon_everyone/47e4bab7-c626-47dc-967b-255608c9a920.evtx",
     1, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_recon_everyone/47e4bab7-c626-47dc-967b-255608c9a920.evtx",
     2, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_recon_pipe_output/ccb5742c-c248-4982-8c5c-5571b9275ad3.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_security_keyword_lookup/4fe074b4-b833-4081-8f24-7dcfeca72b42.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_findstr_security_keyword_lookup/4fe074b4-b833-4081-8f24-7dcfeca72b42.evtx",
     1, "Event/EventData/CommandLine",
     "tasklist  ",
     "tasklist"},
    {"rules/windows/process_creation/proc_creation_win_github_self_hosted_runner/5bac7a56-da88-4c27-922e-c81e113b20cb.evtx",
     1, "Event/EventData/ParentCommandLine",
     "\"C:\\Users\\Lab\\Downloads\\actions-runner\\\\bin\\Runner.Listener.exe\"  run ",
     "\"C:\\Users\\Lab\\Downloads\\actions-runner\\\\bin\\Runner.Listener.exe\"  run"},
    {"rules/windows/process_creation/proc_creation_win_gpresult_execution/e56d3073-83ff-4021-90fe-c658e0709e72.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_hktl_edr_freeze/c598cc0c-9e70-4852-b9eb-8921af79f598.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_hktl_wsass/589ac73f-8e12-409c-964e-31a2f5775ae2.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_hvci_registry_tampering/6225c53a-a96e-4235-b28f-8d7997cd96eb.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_node_new_agent_skills_installed/afa71271-6a97-4e47-810f-83120fb1a4ce.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_print_dump_sensitive_files/2fcda7e2-8c57-4904-86ac-37fc3157e09d.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_adfind_enumeration/455b9d50-15a1-4b99-853f-8d37655a4c1b.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_adfind_execution/514e7e3e-b3b4-4a67-af60-be20f139198b.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_adfind_susp_usage/9a132afa-654e-11eb-ae93-0242ac130002.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_advanced_ip_scanner/bef37fa2-f205-4a7b-b484-0759bfd5f86f.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Users\\SWACHC~1\\AppData\\Local\\Temp\\2\\is-F5HMR.tmp\\Advanced_IP_Scanner_2.5.4594.1.tmp\" /SL5=\"$E0218,20439558,139776,C:\\Users\\SwachchhandaP\\Downloads\\Advanced_IP_Scanner_2.5.4594.1.exe\" ",
     "\"C:\\Users\\SWACHC~1\\AppData\\Local\\Temp\\2\\is-F5HMR.tmp\\Advanced_IP_Scanner_2.5.4594.1.tmp\" /SL5=\"$E0218,20439558,139776,C:\\Users\\SwachchhandaP\\Downloads\\Advanced_IP_Scanner_2.5.4594.1.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_advanced_port_scanner/54773c5f-f1cc-4703-9126-2f797d96a69d.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Users\\SWACHC~1\\AppData\\Local\\Temp\\2\\is-90PLO.tmp\\Advanced_Port_Scanner_2.5.3869.tmp\" /SL5=\"$E0634,19769177,139776,C:\\Users\\SwachchhandaP\\Downloads\\Advanced_Port_Scanner_2.5.3869.exe\" ",
     "\"C:\\Users\\SWACHC~1\\AppData\\Local\\Temp\\2\\is-90PLO.tmp\\Advanced_Port_Scanner_2.5.3869.tmp\" /SL5=\"$E0634,19769177,139776,C:\\Users\\SwachchhandaP\\Downloads\\Advanced_Port_Scanner_2.5.3869.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_advancedrun/d2b749ee-4225-417e-b20e-a8d2193cbb84.evtx",
     0, "Event/EventData/CommandLine",
     "\"C:\\Users\\SwachchhandaP\\Downloads\\advancedrun-x64\\AdvancedRun.exe\" ",
     "\"C:\\Users\\SwachchhandaP\\Downloads\\advancedrun-x64\\AdvancedRun.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_advancedrun_priv_user/fa00b701-44c6-4679-994d-5a18afa8a707.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_pua_kdu_driver_tool/e76ca062-4de0-4d79-8d90-160a0d335eca.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_reg_add_safeboot/d7662ff6-9e97-4596-a61d-9839e32dee8d.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_reg_system_language_discovery/c43a5405-e8e1-4221-9ac9-dbe3fa14e886.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_renamed_adfind/df55196f-f105-44d3-a675-e9dfb6cc2f2b.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_renamed_binary/36480ae1-a1cb-4eaa-a0d6-29801d7e9142.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_renamed_binary_highly_relevant/0ba1da6d-b6ce-4366-828c-18826c9de23e.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_renamed_curl/7530cd3d-7671-43e3-b209-976966f6ea48.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_renamed_ftp/277a4393-446c-449a-b0ed-7fdc7795244c.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_renamed_msdt/bd1c6866-65fc-44b2-be51-5588fcff82b9.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_rundll32_unc_path/5cdb711b-5740-4fb2-ba88-f7945027afac.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_sc_stop_service/81bcb81b-5b1f-474b-b373-52c871aaa7b1.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\system32\\cmd.exe\" ",
     "\"C:\\Windows\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_susp_eventlog_content_recon/beaa66d6-aa1b-4e3c-80f5-e0145369bfaf.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx",
     0, "Event/System/TimeCreated/#attributes/SystemTime",
     "2026-03-20T08:31:26.751156Z",
     "2026-03-20T08:31:26.751156500Z"},
    {"rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx",
     0, "Event/EventData/CommandLine",
     "\"C:\\Users\\administrator.SIGEN.000\\Ann\342\200\256gepj.exe\" ",
     "\"C:\\Users\\administrator.SIGEN.000\\Ann\342\200\256gepj.exe\""},
    {"rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx",
     0, "Event/EventData/ParentCommandLine",
     "C:\\Windows\\Explorer.EXE",
     "C:\\Windows\\Explorer.exe"},
    {"rules/windows/process_creation/proc_creation_win_svchost_masqueraded_execution/be58d2e2-06c8-4f58-b666-b99f6dc3b6cd.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\Windows\\System32\\cmd.exe\" ",
     "\"C:\\Windows\\System32\\cmd.exe\""},
    {"rules/windows/process_creation/proc_creation_win_vulnerable_driver_blocklist_registry_tampering/22154f0e-5132-4a54-aa78-cc62f6def531.evtx",
     0, "Event/EventData/CommandLine",
     "reg  add \"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CI\\Config\" /v VulnerableDriverBlocklistEnable /t REG_DWORD /d 00000000 /f ",
     "reg  add \"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CI\\Config\" /v VulnerableDriverBlocklistEnable /t REG_DWORD /d 00000000 /f"},
    {"rules/windows/process_creation/proc_creation_win_vulnerable_driver_blocklist_registry_tampering/22154f0e-5132-4a54-aa78-cc62f6def531.evtx",
     0, "Event/EventData/ParentCommandLine",
     "\"C:\\WINDOWS\\system32\\cmd.exe\" ",
     "\"C:\\WINDOWS\\system32\\cmd.exe\""},
    {"rules/windows/registry/registry_set/registry_set_bypass_uac_using_silentcleanup_task/724ea201-6514-4f38-9739-e5973c34f49a.evtx",
     0, "Event/EventData/Details",
     "cmd /c start powershell&REM ",
     "cmd /c start powershell&REM"},
};
static const size_t known_differences_count = sizeof known_differences / sizeof *known_differences;

typedef struct twin_events {
    socfeed_event_value *items;
    size_t count, cap;
    arena mem;
} twin_events;

/* Deep copy, so events outlive the reader callback. */
static void copy_value(arena *a, socfeed_event_value *dst, const socfeed_event_value *src) {
    *dst = *src;
    switch (src->type) {
    case SOCFEED_EV_STRING:
    case SOCFEED_EV_REAL: dst->as.s = arena_strndup(a, src->as.s, src->len); break;
    case SOCFEED_EV_ARRAY:
        dst->as.items = arena_alloc(a, (src->len + 1) * sizeof *dst->as.items);
        for (uint32_t i = 0; i < src->len; i++) copy_value(a, &dst->as.items[i], &src->as.items[i]);
        break;
    case SOCFEED_EV_OBJECT:
        dst->as.members = arena_alloc(a, (src->len + 1) * sizeof *dst->as.members);
        for (uint32_t i = 0; i < src->len; i++) {
            dst->as.members[i].key = arena_strndup(a, src->as.members[i].key, src->as.members[i].key_len);
            dst->as.members[i].key_len = src->as.members[i].key_len;
            copy_value(a, &dst->as.members[i].value, &src->as.members[i].value);
        }
        break;
    default: break;
    }
}

static int collect(void *ctx, const socfeed_event *ev) {
    twin_events *t = ctx;
    if (t->count == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 8;
        t->items = realloc(t->items, t->cap * sizeof *t->items);
    }
    copy_value(&t->mem, &t->items[t->count++], &ev->root);
    return 0;
}

typedef struct compare_ctx {
    const char *file; /* relative name */
    unsigned record;
    bool *used;       /* one flag per known difference */
    size_t guid_differences, listed_differences, failures;
} compare_ctx;

static bool is_braced_guid_of(const socfeed_event_value *ours, const socfeed_event_value *theirs) {
    if (ours->type != SOCFEED_EV_STRING || theirs->type != SOCFEED_EV_STRING) return false;
    if (ours->len != 38 || theirs->len != 36) return false;
    if (ours->as.s[0] != '{' || ours->as.s[37] != '}') return false;
    for (int i = 0; i < 36; i++) {
        char c = theirs->as.s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
    }
    return memcmp(ours->as.s + 1, theirs->as.s, 36) == 0;
}

static void difference(compare_ctx *c, const char *path, const socfeed_event_value *ours,
                       const socfeed_event_value *theirs) {
    if (is_braced_guid_of(ours, theirs)) {
        c->guid_differences++;
        return;
    }
    if (ours->type == SOCFEED_EV_STRING && theirs->type == SOCFEED_EV_STRING) {
        for (size_t i = 0; i < known_differences_count; i++) {
            const twin_difference *k = &known_differences[i];
            if (!strcmp(k->file, c->file) && k->record == c->record && !strcmp(k->field, path) &&
                strlen(k->evtx) == ours->len && !memcmp(k->evtx, ours->as.s, ours->len) &&
                strlen(k->json) == theirs->len && !memcmp(k->json, theirs->as.s, theirs->len)) {
                c->used[i] = true;
                c->listed_differences++;
                return;
            }
        }
    }
    c->failures++;
    char *a = socfeed_event_to_json(ours), *b = socfeed_event_to_json(theirs);
    harness_fail(__FILE__, __LINE__, "%s record %u field %s: evtx %s, json %s", c->file, c->record,
                 path, a ? a : "?", b ? b : "?");
    free(a);
    free(b);
}

static bool scalar_equal(const socfeed_event_value *a, const socfeed_event_value *b) {
    if (a->type != b->type) return false;
    switch (a->type) {
    case SOCFEED_EV_NULL: return true;
    case SOCFEED_EV_BOOL: return a->as.b == b->as.b;
    case SOCFEED_EV_INT: return a->as.i == b->as.i;
    case SOCFEED_EV_UINT: return a->as.u == b->as.u;
    case SOCFEED_EV_REAL:
    case SOCFEED_EV_STRING: return a->len == b->len && !memcmp(a->as.s, b->as.s, a->len);
    default: return false;
    }
}

static void compare(compare_ctx *c, char *path, size_t plen, const socfeed_event_value *ours,
                    const socfeed_event_value *theirs) {
    if (ours->type == SOCFEED_EV_OBJECT && theirs->type == SOCFEED_EV_OBJECT) {
        if (ours->len != theirs->len) {
            c->failures++;
            harness_fail(__FILE__, __LINE__, "%s record %u at '%s': %u members, json has %u",
                         c->file, c->record, path, ours->len, theirs->len);
        }
        for (uint32_t i = 0; i < ours->len && i < theirs->len; i++) {
            const socfeed_event_member *m = &ours->as.members[i], *n = &theirs->as.members[i];
            if (m->key_len != n->key_len || memcmp(m->key, n->key, m->key_len)) {
                c->failures++;
                harness_fail(__FILE__, __LINE__, "%s record %u at '%s': key %.*s, json has %.*s",
                             c->file, c->record, path, (int)m->key_len, m->key, (int)n->key_len,
                             n->key);
                continue;
            }
            size_t n2 = (size_t)snprintf(path + plen, 1024 - plen, "%s%.*s", plen ? "/" : "",
                                         (int)m->key_len, m->key);
            compare(c, path, plen + n2 < 1024 ? plen + n2 : 1023, &m->value, &n->value);
            path[plen] = 0;
        }
        return;
    }
    if (ours->type == SOCFEED_EV_ARRAY && theirs->type == SOCFEED_EV_ARRAY) {
        if (ours->len != theirs->len) {
            c->failures++;
            harness_fail(__FILE__, __LINE__, "%s record %u at '%s': %u items, json has %u",
                         c->file, c->record, path, ours->len, theirs->len);
        }
        for (uint32_t i = 0; i < ours->len && i < theirs->len; i++) {
            size_t n2 = (size_t)snprintf(path + plen, 1024 - plen, "[%u]", i);
            compare(c, path, plen + n2 < 1024 ? plen + n2 : 1023, &ours->as.items[i],
                    &theirs->as.items[i]);
            path[plen] = 0;
        }
        return;
    }
    if (!scalar_equal(ours, theirs)) difference(c, path, ours, theirs);
}

TEST(evtx_twins_agree_with_json) {
    if (!harness_have_shared()) {
        printf("  skip evtx_twins_agree_with_json: ../shared not found\n");
        return;
    }
    char root[4096];
    snprintf(root, sizeof root, "%s", harness_shared("sigma/regression_data"));
    evtx_test_paths files;
    evtx_test_list(root, ".evtx", &files);
    CHECK(files.count >= 200);
    bool *used = calloc(known_differences_count + 1, sizeof *used);
    size_t records = 0, guids = 0, listed = 0;
    for (size_t f = 0; f < files.count; f++) {
        const char *path = files.items[f];
        const char *rel = path + strlen(root) + 1;
        char json_path[4096];
        snprintf(json_path, sizeof json_path, "%.*s.json", (int)(strlen(path) - 5), path);
        evtx_test_file ef, jf;
        if (!evtx_test_load(path, &ef) || !evtx_test_load(json_path, &jf)) {
            harness_fail(__FILE__, __LINE__, "cannot read %s or its .json twin", rel);
            free(ef.data);
            continue;
        }
        twin_events ours = {0}, theirs = {0};
        arena_init(&ours.mem);
        arena_init(&theirs.mem);
        socfeed_diags diags;
        socfeed_diags_init(&diags);
        int rc_e = socfeed_evtx_read_buffer(rel, ef.data, ef.len, NULL, collect, &ours, &diags, NULL);
        int rc_j = socfeed_json_read_buffer(json_path, jf.data, jf.len, NULL, collect, &theirs,
                                            &diags, NULL);
        if (rc_e != 0 || rc_j != 0 || diags.count)
            harness_fail(__FILE__, __LINE__, "%s: evtx rc %d, json rc %d, %zu diagnostics", rel, rc_e,
                         rc_j, diags.count);
        if (ours.count != theirs.count)
            harness_fail(__FILE__, __LINE__, "%s: %zu events, json twin has %zu", rel, ours.count,
                         theirs.count);
        compare_ctx c = {rel, 0, used, 0, 0, 0};
        for (size_t i = 0; i < ours.count && i < theirs.count; i++) {
            char fpath[1024] = "";
            c.record = (unsigned)i;
            compare(&c, fpath, 0, &ours.items[i], &theirs.items[i]);
        }
        records += ours.count;
        guids += c.guid_differences;
        listed += c.listed_differences;
        socfeed_diags_clear(&diags);
        arena_free(&ours.mem);
        arena_free(&theirs.mem);
        free(ours.items);
        free(theirs.items);
        free(ef.data);
        free(jf.data);
    }
    for (size_t i = 0; i < known_differences_count; i++)
        if (!used[i])
            harness_fail(__FILE__, __LINE__, "listed difference did not occur: %s record %u %s",
                         known_differences[i].file, known_differences[i].record,
                         known_differences[i].field);
    CHECK_EQ_INT(listed, known_differences_count);
    CHECK(records >= files.count);
    CHECK(guids > 0);
    if (getenv("HARNESS_VERBOSE"))
        printf("  %zu files, %zu records, %zu braced GUIDs, %zu listed differences\n", files.count,
               records, guids, listed);
    free(used);
    evtx_test_paths_free(&files);
}

