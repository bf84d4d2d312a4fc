import Foundation
import XCTest
@testable import Convnet

/// Reading the cgroup memory limit from /proc and /sys files the tests write, as a host,
/// a container and a hub's spawner lay them out (v2, v1, hybrid).
final class MemoryLimitTests: XCTestCase {
    private var root: DataTestFolder!

    override func setUpWithError() throws {
        root = try DataTestFolder()
    }

    /// Writes /proc/self/cgroup and /proc/self/mountinfo; mount points are under the test folder.
    private func proc(cgroup: String, mounts: [(root: String, point: String, type: String, options: String)]) throws {
        try root.write("proc/cgroup", Array(cgroup.utf8))
        let lines = mounts.enumerated().map { i, m in
            "\(30 + i) 23 0:\(28 + i) \(m.root) \(root.path)\(m.point) rw,relatime shared:\(i) - \(m.type) \(m.type) \(m.options)"
        }
        try root.write("proc/mountinfo", Array((lines.joined(separator: "\n") + "\n").utf8))
    }

    private func limitFile(_ path: String, _ value: String) throws {
        try root.write("sys" + path, Array((value + "\n").utf8))
    }

    private func readLimit() -> Int? {
        MemoryLimit.cgroupLimit(cgroupFile: root.path + "/proc/cgroup", mountinfoFile: root.path + "/proc/mountinfo")
    }

    private let v2Mount = (root: "/", point: "/sys", type: "cgroup2", options: "rw,nsdelegate")

    func testV2_theProcessCgroupsMemoryMax() throws {
        try proc(cgroup: "0::/user.slice/jupyter-ada.service\n", mounts: [v2Mount])
        try limitFile("/user.slice/jupyter-ada.service/memory.max", "536870912")
        try limitFile("/user.slice/memory.max", "max")
        XCTAssertEqual(readLimit(), 512 << 20)
    }

    func testV2_aLowerLimitOnAnAncestorWins() throws {
        try proc(cgroup: "0::/kubepods/pod1/kernel\n", mounts: [v2Mount])
        try limitFile("/kubepods/pod1/kernel/memory.max", "max")
        try limitFile("/kubepods/pod1/memory.max", "1073741824")
        try limitFile("/kubepods/memory.max", "8589934592")
        XCTAssertEqual(readLimit(), 1 << 30)
    }

    func testV2_maxEverywhere_isNoLimit() throws {
        try proc(cgroup: "0::/user.slice\n", mounts: [v2Mount])
        try limitFile("/user.slice/memory.max", "max")
        XCTAssertNil(readLimit())
    }

    func testV2_inAContainer_theMountIsTheContainersOwnCgroup() throws {
        // With a cgroup namespace the process sees "/" and the mount is its own cgroup.
        try proc(cgroup: "0::/\n", mounts: [v2Mount])
        try limitFile("/memory.max", "2147483648")
        XCTAssertEqual(readLimit(), 2 << 30)
    }

    func testV1_memoryLimitInBytes_withUnlimitedAncestors() throws {
        try proc(
            cgroup: "12:pids:/docker/abc\n4:memory:/docker/abc\n1:name=systemd:/docker/abc\n",
            mounts: [(root: "/", point: "/sys/memory", type: "cgroup", options: "rw,memory"),
                     (root: "/", point: "/sys/pids", type: "cgroup", options: "rw,pids")])
        try limitFile("/memory/docker/abc/memory.limit_in_bytes", "268435456")
        try limitFile("/memory/docker/memory.limit_in_bytes", "9223372036854771712")
        try limitFile("/memory/memory.limit_in_bytes", "9223372036854771712")
        try limitFile("/pids/docker/abc/memory.limit_in_bytes", "1")  // not the memory controller: ignored
        XCTAssertEqual(readLimit(), 256 << 20)
    }

    func testV1_unlimited_isNoLimit() throws {
        try proc(cgroup: "4:memory:/session\n", mounts: [(root: "/", point: "/sys/memory", type: "cgroup", options: "rw,memory")])
        try limitFile("/memory/session/memory.limit_in_bytes", "9223372036854771712")
        XCTAssertNil(readLimit())
    }

    func testV1_mountOfASubtree_mapsThePathBelowIt() throws {
        // Docker without a cgroup namespace: the host path is shown, the container's folder is mounted.
        try proc(cgroup: "4:memory:/docker/abc\n",
                 mounts: [(root: "/docker/abc", point: "/sys/memory", type: "cgroup", options: "rw,memory")])
        try limitFile("/memory/memory.limit_in_bytes", "134217728")
        XCTAssertEqual(readLimit(), 128 << 20)
    }

    func testHybrid_v1MemoryAndAUnifiedTreeWithoutIt() throws {
        try proc(
            cgroup: "4:memory:/hub/ada\n0::/hub/ada\n",
            mounts: [(root: "/", point: "/sys/memory", type: "cgroup", options: "rw,memory"),
                     (root: "/", point: "/sys/unified", type: "cgroup2", options: "rw")])
        try limitFile("/memory/hub/ada/memory.limit_in_bytes", "805306368")
        XCTAssertEqual(readLimit(), 768 << 20)
    }

    func testMountPointWithASpace_isUnescaped() throws {
        try root.write("proc/cgroup", Array("0::/a\n".utf8))
        let line = "30 23 0:28 / \(root.path)/sys\\040fs rw - cgroup2 cgroup2 rw\n"
        try root.write("proc/mountinfo", Array(line.utf8))
        try root.write("sys fs/a/memory.max", Array("1048576\n".utf8))
        XCTAssertEqual(readLimit(), 1 << 20)
    }

    func testUnreadableFiles_areNoLimit() {
        XCTAssertNil(MemoryLimit.cgroupLimit(cgroupFile: "/nonexistent/cgroup", mountinfoFile: "/nonexistent/mountinfo"))
    }

    func testGarbageInTheFiles_isNoLimit() throws {
        try proc(cgroup: "what\n::\n0:x\n", mounts: [v2Mount])
        try root.write("proc/mountinfo", Array("garbage - \n\n1 2 3\n".utf8))
        XCTAssertNil(readLimit())
        try proc(cgroup: "0::/a\n", mounts: [v2Mount])
        try limitFile("/a/memory.max", "-5")
        XCTAssertNil(readLimit())
    }

    func testNetCap_isHalfTheLimitWhenThatIsBelowTheDefault() {
        XCTAssertEqual(MemoryLimit.netCap(default: 4 << 30, cgroupLimit: 1 << 30), 512 << 20)
        XCTAssertEqual(MemoryLimit.netCap(default: 4 << 30, cgroupLimit: 64 << 30), 4 << 30)
        XCTAssertEqual(MemoryLimit.netCap(default: 4 << 30, cgroupLimit: nil), 4 << 30)
    }
}
